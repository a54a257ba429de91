package io.checkout.order.query;

import io.checkout.order.OrderStatus;
import io.checkout.shared.order.OrderApprovedEvent;
import io.checkout.shared.order.OrderCancelledEvent;
import io.checkout.shared.order.OrderCreatedEvent;
import java.time.Instant;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

/** Keeps the order read model; subscribing, so it commits with the order it describes. */
@Component
@ProcessingGroup(OrderProjection.PROCESSING_GROUP)
class OrderProjection {

    static final String PROCESSING_GROUP = "order-view";

    private final OrderViewRepository orders;

    OrderProjection(OrderViewRepository orders) {
        this.orders = orders;
    }

    @EventHandler
    void on(OrderCreatedEvent event, @Timestamp Instant at) {
        List<OrderLineView> lines = event.lines().stream()
                .map(l -> new OrderLineView(l.productId().value(), l.quantity(), null))
                .toList();
        orders.save(new OrderView(event.orderId().value(), event.customerId().value(), OrderStatus.PENDING, lines, at));
    }

    @EventHandler
    void on(OrderApprovedEvent event, @Timestamp Instant at) {
        List<OrderLineView> lines = event.lines().stream()
                .map(l -> new OrderLineView(l.productId().value(), l.quantity(), l.unitPrice()))
                .toList();
        orders.findById(event.orderId().value()).ifPresent(o -> o.approve(lines, event.total(), at));
    }

    @EventHandler
    void on(OrderCancelledEvent event, @Timestamp Instant at) {
        String id = event.orderId().value();
        OrderView order = orders.findById(id)
                // cancelled before it was created: the order exists, with no lines, so that it can be found
                .orElseGet(() -> orders.save(new OrderView(id, null, OrderStatus.CANCELLED, List.of(), at)));
        order.cancel(event.reason(), at);
    }
}
