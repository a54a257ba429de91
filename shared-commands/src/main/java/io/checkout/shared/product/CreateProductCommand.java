package io.checkout.shared.product;

import java.math.BigDecimal;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record CreateProductCommand(@TargetAggregateIdentifier ProductId productId, String name, BigDecimal price,
                                   int stock) {
}
