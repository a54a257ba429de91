package io.checkout.shared;

import org.axonframework.common.IdentifierFactory;

/** Checks shared by the typed ids: an id is a short, non-blank string. */
public final class Ids {

    /** Longer ids are refused: they are keys in every store and appear in URLs. */
    public static final int MAX_LENGTH = 64;

    private Ids() {
    }

    public static String require(String value, String kind) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(kind + " must not be blank");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(kind + " must be at most " + MAX_LENGTH + " characters");
        }
        return value;
    }

    /**
     * A new id, made by Axon's identifier factory: in the services a time-ordered UUID (version 7), so that ids made
     * later sort later and land at the end of the indexes keyed by them; a random UUID where no factory is set.
     */
    public static String random() {
        return IdentifierFactory.getInstance().generateIdentifier();
    }
}
