package io.checkout.order.query;

import io.checkout.order.OrderStatus;
import io.checkout.shared.order.OrderApprovedEvent;
import io.checkout.shared.order.OrderCancelledEvent;
import io.checkout.shared.order.OrderCreatedEvent;
import java.time.Instant;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

/** Keeps the order read model; subscribing, so it commits with the order it describes. */
@Component
@ProcessingGroup(OrderProjection.PROCESSING_GROUP)
class OrderProjection {

    static final String PROCESSING_GROUP = "order-view";

    private final OrderRows rows;

    OrderProjection(OrderRows rows) {
        this.rows = rows;
    }

    @EventHandler
    void on(OrderCreatedEvent event, @Timestamp Instant at) {
        rows.insert(event.orderId().value(), event.customerId().value(), OrderStatus.PENDING, null,
                event.lines().stream().map(l -> new OrderRows.Line(l.productId().value(), l.quantity(), null)).toList(),
                at);
    }

    @EventHandler
    void on(OrderApprovedEvent event, @Timestamp Instant at) {
        rows.approve(event.orderId().value(), event.lines().stream()
                .map(l -> new OrderRows.Line(l.productId().value(), l.quantity(), l.unitPrice()))
                .toList(), event.total(), at);
    }

    @EventHandler
    void on(OrderCancelledEvent event, @Timestamp Instant at) {
        rows.cancel(event.orderId().value(), event.reason(), at);
    }
}
