package io.checkout.shared.checkout;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** An operator asks the saga to send its current step's commands again now. */
public record RetryCheckoutStepCommand(@TargetAggregateIdentifier CheckoutId checkoutId, String operator) {
}
