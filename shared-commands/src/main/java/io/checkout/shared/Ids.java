package io.checkout.shared;

import java.util.UUID;

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

    public static String random() {
        return UUID.randomUUID().toString();
    }
}
