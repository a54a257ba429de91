package io.checkout.shared.order;

/** Asks the order service for an order's current state; answered with an {@link OrderSummary}. */
public record FindOrderQuery(OrderId orderId) {
}
