package io.checkout.shared.product;

/** Asks the product service for a product's current stock; answered with a {@link ProductSummary}. */
public record FindProductQuery(ProductId productId) {
}
