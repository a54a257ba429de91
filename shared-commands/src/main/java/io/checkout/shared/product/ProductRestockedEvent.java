package io.checkout.shared.product;

public record ProductRestockedEvent(ProductId productId, int quantity) {
}
