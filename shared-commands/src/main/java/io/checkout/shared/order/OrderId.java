package io.checkout.shared.order;

import io.checkout.shared.Ids;

/** Identifies an order; {@link #toString()} is the raw value, which Axon uses as the aggregate id. */
public record OrderId(String value) {

    public OrderId {
        Ids.require(value, "orderId");
    }

    public static OrderId random() {
        return new OrderId(Ids.random());
    }

    @Override
    public String toString() {
        return value;
    }
}
