package io.checkout.shared.order;

public record OrderCancelledEvent(OrderId orderId, String reason) {
}
