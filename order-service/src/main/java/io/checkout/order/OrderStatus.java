package io.checkout.order;

/** Where an order stands: PENDING until it is APPROVED or CANCELLED, both final. */
public enum OrderStatus {
    PENDING,
    APPROVED,
    CANCELLED
}
