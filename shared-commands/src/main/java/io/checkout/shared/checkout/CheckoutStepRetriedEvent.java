package io.checkout.shared.checkout;

import io.checkout.shared.product.ProductId;

/** The saga sent a step's command again after a transient failure. */
public record CheckoutStepRetriedEvent(CheckoutId checkoutId, CheckoutStep step, ProductId productId, int attempt) {
}
