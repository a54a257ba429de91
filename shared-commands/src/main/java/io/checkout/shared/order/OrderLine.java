package io.checkout.shared.order;

import io.checkout.shared.product.ProductId;

public record OrderLine(ProductId productId, int quantity) {
}
