package io.checkout.shared.product;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RestockProductCommand(@TargetAggregateIdentifier ProductId productId, int quantity) {
}
