package io.checkout.shared.product;

import io.checkout.shared.Ids;

/** Identifies a product; {@link #toString()} is the raw value, which Axon uses as the aggregate id. */
public record ProductId(String value) {

    public ProductId {
        Ids.require(value, "productId");
    }

    public static ProductId random() {
        return new ProductId(Ids.random());
    }

    @Override
    public String toString() {
        return value;
    }
}
