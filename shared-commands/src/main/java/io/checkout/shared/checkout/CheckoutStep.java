package io.checkout.shared.checkout;

/** The commands a checkout saga sends: three forward steps and their two compensations. */
public enum CheckoutStep {
    CREATE_ORDER,
    RESERVE_STOCK,
    APPROVE_ORDER,
    CANCEL_ORDER,
    RELEASE_STOCK
}
