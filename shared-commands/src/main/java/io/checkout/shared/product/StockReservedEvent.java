package io.checkout.shared.product;

import io.checkout.shared.order.OrderId;
import java.math.BigDecimal;

/** Units held for an order, at the unit price the product had when they were reserved. */
public record StockReservedEvent(ProductId productId, OrderId orderId, int quantity, BigDecimal unitPrice) {
}
