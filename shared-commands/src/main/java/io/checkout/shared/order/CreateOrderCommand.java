package io.checkout.shared.order;

import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Creates a PENDING order. Idempotent: a repeat, or one for an order already cancelled, changes nothing.
 * <p>
 * Sent under the command name {@link #NEW} (the saga's first attempt, for an order id made with its checkout), it
 * creates the order without first looking it up. Should the order exist all the same (a cancel or a second attempt
 * got there first), the event store refuses the order's first event and the command fails; nothing is merged, and
 * the saga, which has moved on, ignores the failure of an attempt it superseded.
 */
public record CreateOrderCommand(@TargetAggregateIdentifier OrderId orderId, CustomerId customerId,
                                 List<OrderLine> lines) {

    /** The command name of a create for an order that cannot exist yet. */
    public static final String NEW = "io.checkout.shared.order.CreateOrderCommand#new";
}
