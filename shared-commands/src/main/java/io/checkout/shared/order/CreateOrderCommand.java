package io.checkout.shared.order;

import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Creates a PENDING order. Idempotent: a repeat, or one for an order already cancelled, changes nothing. */
public record CreateOrderCommand(@TargetAggregateIdentifier OrderId orderId, CustomerId customerId,
                                 List<OrderLine> lines) {
}
