package io.checkout.order.query;

import io.checkout.shared.order.FindOrderQuery;
import io.checkout.shared.order.OrderSummary;
import java.util.Optional;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/** Answers other services' questions about orders, from the order read model. */
@Component
class OrderQueries {

    private final OrderViewRepository orders;

    OrderQueries(OrderViewRepository orders) {
        this.orders = orders;
    }

    /** @return the order, or empty if there is none with that id */
    @QueryHandler
    Optional<OrderSummary> handle(FindOrderQuery query) {
        return orders.findById(query.orderId().value())
                .map(o -> new OrderSummary(query.orderId(), o.getStatus().name(), o.getTotal(), o.getReason()));
    }
}
