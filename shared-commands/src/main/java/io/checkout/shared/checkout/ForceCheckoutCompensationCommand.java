package io.checkout.shared.checkout;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** An operator gives up on a running checkout: the saga compensates whatever was done. */
public record ForceCheckoutCompensationCommand(@TargetAggregateIdentifier CheckoutId checkoutId, String operator,
                                               String reason) {
}
