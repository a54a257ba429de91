package io.checkout.shared.product;

import java.math.BigDecimal;

/** A product's current stock as the product service reports it to other services. */
public record ProductSummary(ProductId productId, String name, BigDecimal price, int stock, int reserved) {
}
