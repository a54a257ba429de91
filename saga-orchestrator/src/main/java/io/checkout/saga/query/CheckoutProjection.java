package io.checkout.saga.query;

import static io.checkout.saga.query.CheckoutRows.CHECKOUT;

import io.checkout.shared.checkout.CheckoutCompensationStartedEvent;
import io.checkout.shared.checkout.CheckoutCompensationRequestedEvent;
import io.checkout.shared.checkout.CheckoutCompletedEvent;
import io.checkout.shared.checkout.CheckoutRetryRequestedEvent;
import io.checkout.shared.checkout.CheckoutFailedEvent;
import io.checkout.shared.checkout.CheckoutStartedEvent;
import io.checkout.shared.checkout.CheckoutStepFailedEvent;
import io.checkout.shared.checkout.CheckoutStepRetriedEvent;
import io.checkout.shared.product.ProductId;
import java.time.Instant;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

/**
 * Keeps checkouts from the orchestrator's own events. Subscribing: it commits with the event, so a checkout can
 * be read as soon as {@code POST /checkouts} answers, and its status never runs ahead of the saga.
 */
@Component
@ProcessingGroup(CheckoutProjection.PROCESSING_GROUP)
class CheckoutProjection {

    static final String PROCESSING_GROUP = "checkout-view";

    private final CheckoutRows rows;

    CheckoutProjection(CheckoutRows rows) {
        this.rows = rows;
    }

    @EventHandler
    void on(CheckoutStartedEvent event, @Timestamp Instant at) {
        String id = event.checkoutId().value();
        List<CheckoutLineView> lines = event.lines().stream()
                .map(l -> new CheckoutLineView(l.productId().value(), l.quantity()))
                .toList();
        // The timeline's STARTED entry is made from this row when it is read (CheckoutRows#timelineOf).
        rows.insertCheckout(id, event.orderId().value(), event.customerId().value(), lines, at);
    }

    @EventHandler
    void on(CheckoutStepFailedEvent event, @Timestamp Instant at) {
        rows.addStep(new CheckoutRows.Step(event.checkoutId().value(), at, event.step().name(), StepOutcome.FAILED,
                value(event.productId()), event.attempt(), event.kind() + ": " + event.reason()));
    }

    @EventHandler
    void on(CheckoutStepRetriedEvent event, @Timestamp Instant at) {
        rows.addStep(new CheckoutRows.Step(event.checkoutId().value(), at, event.step().name(), StepOutcome.RETRIED,
                value(event.productId()), event.attempt(), "attempt " + event.attempt()));
    }

    @EventHandler
    void on(CheckoutRetryRequestedEvent event, @Timestamp Instant at) {
        rows.addStep(new CheckoutRows.Step(event.checkoutId().value(), at, CHECKOUT, StepOutcome.OPERATOR, null, null,
                event.operator() + " asked to retry the current step"));
    }

    @EventHandler
    void on(CheckoutCompensationRequestedEvent event, @Timestamp Instant at) {
        rows.addStep(new CheckoutRows.Step(event.checkoutId().value(), at, CHECKOUT, StepOutcome.OPERATOR, null, null,
                event.operator() + " forced compensation: " + event.reason()));
    }

    @EventHandler
    void on(CheckoutCompensationStartedEvent event, @Timestamp Instant at) {
        String id = event.checkoutId().value();
        rows.compensating(id, event.failedStep().name(), event.reason());
        rows.addStep(new CheckoutRows.Step(id, at, CHECKOUT, StepOutcome.COMPENSATING, null, null, event.reason()));
    }

    @EventHandler
    void on(CheckoutCompletedEvent event, @Timestamp Instant at) {
        String id = event.checkoutId().value();
        // As the start's, the end's entry is made from the row (CheckoutRows#timelineOf).
        rows.completed(id, event.total(), at);
    }

    @EventHandler
    void on(CheckoutFailedEvent event, @Timestamp Instant at) {
        String id = event.checkoutId().value();
        rows.failed(id, event.failedStep().name(), event.reason(), at);
    }

    private static String value(ProductId productId) {
        return productId == null ? null : productId.value();
    }
}
