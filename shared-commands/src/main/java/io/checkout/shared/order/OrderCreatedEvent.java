package io.checkout.shared.order;

import java.util.List;

public record OrderCreatedEvent(OrderId orderId, CustomerId customerId, List<OrderLine> lines) {
}
