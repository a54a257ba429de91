package io.checkout.saga;

import io.checkout.shared.checkout.CheckoutId;

/** An idempotency key was used again with another request body. */
public class IdempotencyKeyConflictException extends IllegalStateException {

    public IdempotencyKeyConflictException(CheckoutId checkoutId) {
        super("This Idempotency-Key was already used for checkout " + checkoutId
                + " with another request body; use a new key for a new checkout");
    }
}
