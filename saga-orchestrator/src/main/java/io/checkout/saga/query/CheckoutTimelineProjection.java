package io.checkout.saga.query;

import io.checkout.shared.checkout.CheckoutMetaData;
import io.checkout.shared.checkout.CheckoutStep;
import io.checkout.shared.order.OrderApprovedEvent;
import io.checkout.shared.order.OrderCancelledEvent;
import io.checkout.shared.order.OrderCreatedEvent;
import io.checkout.shared.order.OrderId;
import io.checkout.shared.product.ProductId;
import io.checkout.shared.product.StockReleasedEvent;
import io.checkout.shared.product.StockReservationRejectedEvent;
import io.checkout.shared.product.StockReservedEvent;
import java.time.Instant;
import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.springframework.stereotype.Component;

/**
 * Adds the participants' answers (the order's and the products' events) to the checkout timeline. With the services
 * in one JVM it commits with the participant's command (subscribing), so an answer is in the timeline before the saga
 * hears of it; when the orchestrator runs alone in its process, the answers come from other processes, and it follows
 * the event store (tracking: the orchestrator profile says so).
 */
@Component
@ProcessingGroup(CheckoutTimelineProjection.PROCESSING_GROUP)
class CheckoutTimelineProjection {

    static final String PROCESSING_GROUP = "checkout-timeline";

    private final CheckoutRows rows;

    CheckoutTimelineProjection(CheckoutRows rows) {
        this.rows = rows;
    }

    @EventHandler
    void on(OrderCreatedEvent event, @Timestamp Instant at,
            @MetaDataValue(CheckoutMetaData.CHECKOUT_ID) String checkoutId) {
        record(checkoutId, event.orderId(), at, CheckoutStep.CREATE_ORDER, StepOutcome.SUCCEEDED, null,
                "order " + event.orderId() + " created, PENDING");
    }

    @EventHandler
    void on(StockReservedEvent event, @Timestamp Instant at,
            @MetaDataValue(CheckoutMetaData.CHECKOUT_ID) String checkoutId) {
        record(checkoutId, event.orderId(), at, CheckoutStep.RESERVE_STOCK, StepOutcome.SUCCEEDED, event.productId(),
                event.quantity() + " reserved at " + event.unitPrice());
    }

    @EventHandler
    void on(StockReservationRejectedEvent event, @Timestamp Instant at,
            @MetaDataValue(CheckoutMetaData.CHECKOUT_ID) String checkoutId) {
        record(checkoutId, event.orderId(), at, CheckoutStep.RESERVE_STOCK, StepOutcome.REJECTED, event.productId(),
                event.reason());
    }

    @EventHandler
    void on(StockReleasedEvent event, @Timestamp Instant at,
            @MetaDataValue(CheckoutMetaData.CHECKOUT_ID) String checkoutId) {
        record(checkoutId, event.orderId(), at, CheckoutStep.RELEASE_STOCK, StepOutcome.SUCCEEDED, event.productId(),
                event.quantity() == 0 ? "nothing was held; a later reserve will be rejected"
                        : event.quantity() + " released");
    }

    @EventHandler
    void on(OrderApprovedEvent event, @Timestamp Instant at,
            @MetaDataValue(CheckoutMetaData.CHECKOUT_ID) String checkoutId) {
        record(checkoutId, event.orderId(), at, CheckoutStep.APPROVE_ORDER, StepOutcome.SUCCEEDED, null,
                "order approved, total " + event.total());
    }

    @EventHandler
    void on(OrderCancelledEvent event, @Timestamp Instant at,
            @MetaDataValue(CheckoutMetaData.CHECKOUT_ID) String checkoutId) {
        record(checkoutId, event.orderId(), at, CheckoutStep.CANCEL_ORDER, StepOutcome.SUCCEEDED, null,
                "order cancelled: " + event.reason());
    }

    /**
     * The checkout is known from the event's correlation metadata; an event without it (sent by something other
     * than a saga) is matched by its order.
     */
    private void record(String checkoutId, OrderId orderId, Instant at, CheckoutStep step, StepOutcome outcome,
                        ProductId productId, String detail) {
        Optional<String> checkout = checkoutId != null ? Optional.of(checkoutId) : rows.checkoutOf(orderId.value());
        checkout.ifPresent(c -> rows.addStep(new CheckoutRows.Step(c, at, step.name(), outcome,
                productId == null ? null : productId.value(), null, detail)));
    }
}
