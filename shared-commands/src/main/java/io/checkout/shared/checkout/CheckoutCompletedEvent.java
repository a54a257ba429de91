package io.checkout.shared.checkout;

import io.checkout.shared.order.OrderId;
import java.math.BigDecimal;

/** The order is approved and every line's stock is reserved for it. */
public record CheckoutCompletedEvent(CheckoutId checkoutId, OrderId orderId, BigDecimal total) {
}
