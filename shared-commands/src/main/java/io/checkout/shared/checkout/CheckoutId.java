package io.checkout.shared.checkout;

import io.checkout.shared.Ids;

/** Identifies a checkout, its aggregate and its saga; {@link #toString()} is the raw value. */
public record CheckoutId(String value) {

    public CheckoutId {
        Ids.require(value, "checkoutId");
    }

    public static CheckoutId random() {
        return new CheckoutId(Ids.random());
    }

    @Override
    public String toString() {
        return value;
    }
}
