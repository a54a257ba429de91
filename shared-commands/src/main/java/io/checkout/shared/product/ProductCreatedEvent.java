package io.checkout.shared.product;

import java.math.BigDecimal;

public record ProductCreatedEvent(ProductId productId, String name, BigDecimal price, int stock) {
}
