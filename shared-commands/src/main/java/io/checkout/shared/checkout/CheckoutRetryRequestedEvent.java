package io.checkout.shared.checkout;

/** An operator asked for the current step to be sent again; the saga does so if the checkout is still running. */
public record CheckoutRetryRequestedEvent(CheckoutId checkoutId, String operator) {
}
