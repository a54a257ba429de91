package io.checkout.order;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.checkout.shared.order.ApproveOrderCommand;
import io.checkout.shared.order.CancelOrderCommand;
import io.checkout.shared.order.CreateOrderCommand;
import io.checkout.shared.order.OrderApprovedEvent;
import io.checkout.shared.order.OrderCancelledEvent;
import io.checkout.shared.order.OrderCreatedEvent;
import io.checkout.shared.order.OrderId;
import io.checkout.shared.order.OrderLine;
import io.checkout.shared.order.PricedLine;
import io.checkout.shared.product.ProductId;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * An order: PENDING until it is APPROVED or CANCELLED. Creation and cancellation are idempotent and may come in
 * either order: a cancel that arrives before the create leaves a cancelled order that a late create cannot revive.
 * The saga's first create ({@link CreateOrderCommand#NEW}) is the exception: made for an id no order has, it is
 * refused, not ignored, should the order exist after all.
 */
@Aggregate(cache = "aggregateCache", snapshotTriggerDefinition = "aggregateSnapshotTrigger")
class Order {

    @AggregateIdentifier
    @JsonProperty
    private OrderId orderId;
    @JsonProperty
    private OrderStatus status;
    @JsonProperty
    private List<OrderLine> lines = List.of();

    protected Order() {
        // for Axon
    }

    /**
     * A create for an order that cannot exist yet ({@link CreateOrderCommand#NEW}: the saga's first attempt), without
     * the look-up {@code CREATE_IF_MISSING} makes. If the order exists all the same, the event store refuses its
     * first event and the command fails.
     */
    @CommandHandler(commandName = CreateOrderCommand.NEW)
    Order(CreateOrderCommand command) {
        create(command);
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(CreateOrderCommand command) {
        if (status != null) {
            return; // created already, or cancelled before this create arrived
        }
        create(command);
    }

    private void create(CreateOrderCommand command) {
        if (command.customerId() == null) {
            throw new IllegalArgumentException("An order needs a customer");
        }
        validate(command.lines());
        apply(new OrderCreatedEvent(command.orderId(), command.customerId(), List.copyOf(command.lines())));
    }

    @CommandHandler
    void handle(ApproveOrderCommand command) {
        if (status == OrderStatus.APPROVED) {
            return;
        }
        if (status == OrderStatus.CANCELLED) {
            throw new IllegalStateException("A cancelled order cannot be approved");
        }
        Map<ProductId, Integer> ordered = lines.stream()
                .collect(Collectors.toMap(OrderLine::productId, OrderLine::quantity));
        Map<ProductId, Integer> priced = command.lines().stream()
                .collect(Collectors.toMap(PricedLine::productId, PricedLine::quantity));
        if (!ordered.equals(priced)) {
            throw new IllegalArgumentException("An order is approved with a price for each of its lines, no more");
        }
        if (command.lines().stream().anyMatch(l -> l.unitPrice() == null || l.unitPrice().signum() < 0)) {
            throw new IllegalArgumentException("An approved line needs a unit price of zero or more");
        }
        BigDecimal total = command.lines().stream().map(PricedLine::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
        apply(new OrderApprovedEvent(orderId, List.copyOf(command.lines()), total));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(CancelOrderCommand command) {
        if (status == OrderStatus.CANCELLED) {
            return;
        }
        if (status == OrderStatus.APPROVED) {
            throw new IllegalStateException("An approved order cannot be cancelled");
        }
        apply(new OrderCancelledEvent(command.orderId(), command.reason()));
    }

    private static void validate(List<OrderLine> lines) {
        if (lines == null || lines.isEmpty()) {
            throw new IllegalArgumentException("An order needs at least one line");
        }
        if (lines.stream().anyMatch(l -> l.productId() == null || l.quantity() <= 0)) {
            throw new IllegalArgumentException("Every order line needs a product and a quantity of at least one");
        }
        if (lines.stream().map(OrderLine::productId).filter(Objects::nonNull).collect(Collectors.toCollection(HashSet::new))
                .size() != lines.size()) {
            throw new IllegalArgumentException("An order names each product on one line only");
        }
    }

    @EventSourcingHandler
    void on(OrderCreatedEvent event) {
        orderId = event.orderId();
        status = OrderStatus.PENDING;
        lines = event.lines();
    }

    @EventSourcingHandler
    void on(OrderApprovedEvent event) {
        status = OrderStatus.APPROVED;
    }

    @EventSourcingHandler
    void on(OrderCancelledEvent event) {
        orderId = event.orderId();
        status = OrderStatus.CANCELLED;
    }
}
