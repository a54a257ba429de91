package io.checkout.shared.product;

import io.checkout.shared.order.OrderId;

/** A reservation the product refused (not enough stock, or the order was already released); nothing is held. */
public record StockReservationRejectedEvent(ProductId productId, OrderId orderId, int quantity, String reason) {
}
