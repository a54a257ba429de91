package io.checkout.saga;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.checkout.shared.checkout.CheckoutCompensationRequestedEvent;
import io.checkout.shared.checkout.CheckoutId;
import io.checkout.shared.checkout.CheckoutRetryRequestedEvent;
import io.checkout.shared.checkout.ForceCheckoutCompensationCommand;
import io.checkout.shared.checkout.RetryCheckoutStepCommand;
import io.checkout.shared.checkout.CheckoutStartedEvent;
import io.checkout.shared.checkout.CheckoutStepFailedEvent;
import io.checkout.shared.checkout.RecordCheckoutStepFailureCommand;
import io.checkout.shared.checkout.StartCheckoutCommand;
import io.checkout.shared.checkout.StartNewCheckoutCommand;
import io.checkout.shared.order.OrderLine;
import java.util.HashSet;
import java.util.List;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A checkout as requested, and the failures its saga met on the way. Starting is idempotent per checkout id: the
 * id of a request with an idempotency key is derived from the key, so a repeat lands on the same aggregate, and
 * the event store's one-event-per-sequence rule settles concurrent repeats.
 */
@Aggregate(cache = "aggregateCache", snapshotTriggerDefinition = "aggregateSnapshotTrigger")
class Checkout {

    /** The most lines one checkout may have. */
    static final int MAX_LINES = 100;

    @AggregateIdentifier
    @JsonProperty
    private CheckoutId checkoutId;
    @JsonProperty
    private String requestFingerprint;

    protected Checkout() {
        // for Axon
    }

    /** @return true if this started the checkout, false if it was started before by the same request */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    boolean handle(StartCheckoutCommand command) {
        if (checkoutId != null) {
            if (!requestFingerprint.equals(command.requestFingerprint())) {
                throw new IdempotencyKeyConflictException(checkoutId);
            }
            return false;
        }
        start(command);
        return true;
    }

    /**
     * A checkout whose id is new: created without looking it up first (Axon's {@code CREATE_IF_MISSING} reads the
     * store, finds nothing and throws, for every new checkout). Axon answers with the checkout's id.
     */
    @CommandHandler
    Checkout(StartNewCheckoutCommand command) {
        start(command.start());
    }

    private void start(StartCheckoutCommand command) {
        validate(command);
        apply(new CheckoutStartedEvent(command.checkoutId(), command.orderId(), command.customerId(),
                List.copyOf(command.lines()), command.requestFingerprint()));
    }

    @CommandHandler
    void handle(RecordCheckoutStepFailureCommand command) {
        apply(new CheckoutStepFailedEvent(checkoutId, command.step(), command.productId(), command.attempt(),
                command.kind(), command.reason()));
    }

    @CommandHandler
    void handle(RetryCheckoutStepCommand command) {
        apply(new CheckoutRetryRequestedEvent(checkoutId, command.operator()));
    }

    @CommandHandler
    void handle(ForceCheckoutCompensationCommand command) {
        if (command.reason() == null || command.reason().isBlank()) {
            throw new IllegalArgumentException("A forced compensation needs a reason");
        }
        apply(new CheckoutCompensationRequestedEvent(checkoutId, command.operator(), command.reason()));
    }

    private static void validate(StartCheckoutCommand command) {
        if (command.orderId() == null || command.customerId() == null || command.requestFingerprint() == null) {
            throw new IllegalArgumentException("A checkout needs an order id, a customer and a request fingerprint");
        }
        List<OrderLine> lines = command.lines();
        if (lines == null || lines.isEmpty() || lines.size() > MAX_LINES) {
            throw new IllegalArgumentException("A checkout needs 1 to " + MAX_LINES + " lines");
        }
        if (lines.stream().anyMatch(l -> l.productId() == null || l.quantity() <= 0)) {
            throw new IllegalArgumentException("Every line needs a product and a quantity of at least one");
        }
        if (lines.stream().map(OrderLine::productId).collect(java.util.stream.Collectors.toCollection(HashSet::new))
                .size() != lines.size()) {
            throw new IllegalArgumentException("A checkout names each product on one line only");
        }
    }

    @EventSourcingHandler
    void on(CheckoutStartedEvent event) {
        checkoutId = event.checkoutId();
        requestFingerprint = event.requestFingerprint();
    }
}
