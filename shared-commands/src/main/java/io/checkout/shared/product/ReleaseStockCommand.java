package io.checkout.shared.product;

import io.checkout.shared.order.OrderId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Gives back whatever the order holds of this product. Idempotent; a release that comes before its reserve is
 * remembered, so the late reserve is rejected.
 */
public record ReleaseStockCommand(@TargetAggregateIdentifier ProductId productId, OrderId orderId) {
}
