package io.checkout.shared.checkout;

import io.checkout.shared.product.ProductId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Reports that a command the saga sent failed, so that the saga hears of it as an event, inside its own unit of
 * work. {@code productId} is set for the per-line steps only.
 */
public record RecordCheckoutStepFailureCommand(@TargetAggregateIdentifier CheckoutId checkoutId, CheckoutStep step,
                                               ProductId productId, int attempt, FailureKind kind, String reason) {
}
