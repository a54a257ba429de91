package io.checkout.shared.checkout;

import io.checkout.shared.order.OrderId;

/** The order is cancelled and no stock is held for it: every compensation has been confirmed. */
public record CheckoutFailedEvent(CheckoutId checkoutId, OrderId orderId, CheckoutStep failedStep,
                                  CompensationCause cause, String reason) {
}
