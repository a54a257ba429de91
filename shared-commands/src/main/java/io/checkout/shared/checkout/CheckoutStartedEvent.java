package io.checkout.shared.checkout;

import io.checkout.shared.order.CustomerId;
import io.checkout.shared.order.OrderId;
import io.checkout.shared.order.OrderLine;
import java.util.List;

public record CheckoutStartedEvent(CheckoutId checkoutId, OrderId orderId, CustomerId customerId,
                                   List<OrderLine> lines, String requestFingerprint) {
}
