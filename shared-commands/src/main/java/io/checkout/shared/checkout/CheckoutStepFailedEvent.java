package io.checkout.shared.checkout;

import io.checkout.shared.product.ProductId;

/** A command of the saga failed; {@code attempt} counts from 1. {@code productId} is null for order steps. */
public record CheckoutStepFailedEvent(CheckoutId checkoutId, CheckoutStep step, ProductId productId, int attempt,
                                      FailureKind kind, String reason) {
}
