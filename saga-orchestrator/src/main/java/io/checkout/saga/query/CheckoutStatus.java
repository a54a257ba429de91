package io.checkout.saga.query;

public enum CheckoutStatus {
    /** The saga is under way, forward or compensating. */
    RUNNING,
    /** The order is approved and every line's stock is reserved. */
    COMPLETED,
    /** The order is cancelled and no stock is held for it. */
    FAILED
}
