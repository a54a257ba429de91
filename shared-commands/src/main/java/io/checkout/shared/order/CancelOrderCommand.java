package io.checkout.shared.order;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Cancels an order. Idempotent; an order cancelled before its creation arrives stays cancelled, so a late
 * {@link CreateOrderCommand} cannot revive it.
 */
public record CancelOrderCommand(@TargetAggregateIdentifier OrderId orderId, String reason) {
}
