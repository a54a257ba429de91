package io.checkout.shared.product;

import io.checkout.shared.order.OrderId;

/** The order holds nothing of this product any more; {@code quantity} is what went back to stock (0 if none). */
public record StockReleasedEvent(ProductId productId, OrderId orderId, int quantity) {
}
