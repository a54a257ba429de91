package io.checkout.shared.checkout;

/**
 * The message metadata key that carries a checkout's id. It is set on {@code StartCheckoutCommand} and Axon's
 * correlation data copies it onto every message that follows from it, in every service: logs and the timeline
 * use it to tie each message to its checkout.
 */
public final class CheckoutMetaData {

    public static final String CHECKOUT_ID = "checkoutId";

    private CheckoutMetaData() {
    }
}
