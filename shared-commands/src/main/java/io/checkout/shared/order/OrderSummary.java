package io.checkout.shared.order;

import java.math.BigDecimal;

/** An order's current state as the order service reports it to other services. */
public record OrderSummary(OrderId orderId, String status, BigDecimal total, String reason) {
}
