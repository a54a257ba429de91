package io.checkout.shared.checkout;

/** An operator asked for a running checkout to be compensated. */
public record CheckoutCompensationRequestedEvent(CheckoutId checkoutId, String operator, String reason) {
}
