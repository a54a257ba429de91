package io.checkout.shared.checkout;

/** The saga gave up on the checkout and began undoing what was done; {@code reason} says why. */
public record CheckoutCompensationStartedEvent(CheckoutId checkoutId, CheckoutStep failedStep, CompensationCause cause,
                                               String reason) {
}
