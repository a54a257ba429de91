package io.checkout.shared.order;

import io.checkout.shared.Ids;

public record CustomerId(String value) {

    public CustomerId {
        Ids.require(value, "customerId");
    }

    @Override
    public String toString() {
        return value;
    }
}
