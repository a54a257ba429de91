package io.checkout.shared.checkout;

import io.checkout.shared.order.CustomerId;
import io.checkout.shared.order.OrderId;
import io.checkout.shared.order.OrderLine;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Starts a checkout. {@code requestFingerprint} identifies the request body: a repeat with the same id and the same
 * fingerprint is the same checkout again; the same id with another fingerprint is refused.
 */
public record StartCheckoutCommand(@TargetAggregateIdentifier CheckoutId checkoutId, OrderId orderId,
                                   CustomerId customerId, List<OrderLine> lines, String requestFingerprint) {
}
