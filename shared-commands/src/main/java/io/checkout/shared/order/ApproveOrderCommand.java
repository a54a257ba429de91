package io.checkout.shared.order;

import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Approves a PENDING order at the prices its stock was reserved at. */
public record ApproveOrderCommand(@TargetAggregateIdentifier OrderId orderId, List<PricedLine> lines) {
}
