package io.checkout.shared.product;

import io.checkout.shared.order.OrderId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Holds {@code quantity} units for the order. Idempotent per (product, order): a repeat reserves nothing more. */
public record ReserveStockCommand(@TargetAggregateIdentifier ProductId productId, OrderId orderId, int quantity) {
}
