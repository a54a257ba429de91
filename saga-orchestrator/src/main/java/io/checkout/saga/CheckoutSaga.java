package io.checkout.saga;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.checkout.shared.checkout.CheckoutCompensationStartedEvent;
import io.checkout.shared.checkout.CheckoutCompensationRequestedEvent;
import io.checkout.shared.checkout.CheckoutCompletedEvent;
import io.checkout.shared.checkout.CheckoutFailedEvent;
import io.checkout.shared.checkout.CheckoutId;
import io.checkout.shared.checkout.CheckoutMetaData;
import io.checkout.shared.checkout.CheckoutRetryRequestedEvent;
import io.checkout.shared.checkout.CheckoutStartedEvent;
import io.checkout.shared.checkout.CheckoutStep;
import io.checkout.shared.checkout.CheckoutStepFailedEvent;
import io.checkout.shared.checkout.CheckoutStepRetriedEvent;
import io.checkout.shared.checkout.CompensationCause;
import io.checkout.shared.checkout.FailureKind;
import io.checkout.shared.checkout.RecordCheckoutStepFailureCommand;
import io.checkout.shared.order.ApproveOrderCommand;
import io.checkout.shared.order.CancelOrderCommand;
import io.checkout.shared.order.CreateOrderCommand;
import io.checkout.shared.order.CustomerId;
import io.checkout.shared.order.OrderApprovedEvent;
import io.checkout.shared.order.OrderCancelledEvent;
import io.checkout.shared.order.OrderCreatedEvent;
import io.checkout.shared.order.OrderId;
import io.checkout.shared.order.OrderLine;
import io.checkout.shared.order.PricedLine;
import io.checkout.shared.product.ProductId;
import io.checkout.shared.product.ReleaseStockCommand;
import io.checkout.shared.product.ReserveStockCommand;
import io.checkout.shared.product.StockReleasedEvent;
import io.checkout.shared.product.StockReservationRejectedEvent;
import io.checkout.shared.product.StockReservedEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Drives one checkout to exactly one of two ends: COMPLETED (order approved, every line's stock reserved) or
 * FAILED (order cancelled, no stock held). The steps, each with its compensation:
 * <ol>
 *   <li>create order ({@link CreateOrderCommand}): compensated by {@link CancelOrderCommand}, which also works on
 *       an order whose creation has not arrived yet;</li>
 *   <li>reserve stock, one {@link ReserveStockCommand} per line: compensated by {@link ReleaseStockCommand} for
 *       every line not rejected, sent once the order is cancelled;</li>
 *   <li>approve order ({@link ApproveOrderCommand}) once every line is reserved: nothing to compensate; if the
 *       approval wins a race with the cancellation, the checkout completes.</li>
 * </ol>
 * Failure handling: a command that fails is reported back as a {@link CheckoutStepFailedEvent}. A transient
 * failure of a forward step is retried with exponential backoff up to {@code maxAttempts}; any other failure, a
 * rejection, or a step's deadline makes the saga compensate. Compensations are sent again, with backoff, until
 * each is confirmed by its event. Every deadline is kept by the durable deadline manager, so a crash loses none.
 * <p>
 * The saga holds only ids and step state. Gateways, the deadline manager and the settings come in as handler
 * parameters, never as fields.
 */
@Saga
public class CheckoutSaga {

    static final String CHECKOUT_ID = "checkoutId";
    static final String ORDER_ID = "orderId";
    /** One per saga at a time: the current forward step's timeout, or the next round of compensation. */
    static final String STEP_DEADLINE = "checkout-step";
    /** The backoff before a forward step's command is sent again. */
    static final String RETRY_DEADLINE = "checkout-retry";

    private static final Logger log = LoggerFactory.getLogger(CheckoutSaga.class);
    private static final String OUTBOX = CheckoutSaga.class.getName() + ".outbox";

    /** Where the checkout stands. */
    enum Phase { CREATING_ORDER, RESERVING_STOCK, APPROVING_ORDER, COMPENSATING }

    /** Where one line's stock stands, as far as the saga has heard. */
    enum LineState {
        /** No reserve sent yet. */
        NOT_SENT,
        /** Reserve sent, no answer yet: stock may be held. */
        PENDING,
        RESERVED,
        REJECTED,
        RELEASED,
        /** The product does not exist: nothing can be held. */
        ABSENT;

        boolean holdsNothing() {
            return this == NOT_SENT || this == REJECTED || this == RELEASED || this == ABSENT;
        }
    }

    /** One order line and its stock step. */
    static final class Line {
        @JsonProperty
        final int quantity;
        @JsonProperty
        LineState state = LineState.NOT_SENT;
        @JsonProperty
        int attempt;
        @JsonProperty
        BigDecimal unitPrice;

        @JsonCreator
        Line(@JsonProperty("quantity") int quantity) {
            this.quantity = quantity;
        }
    }

    /**
     * The payload of {@link #STEP_DEADLINE}: the phase it guards; while compensating, the number of the round of
     * re-sending it starts (from 1); and its sequence number in this saga.
     */
    record StepDeadline(Phase phase, int round, int sequence) {
    }

    /** The payload of {@link #RETRY_DEADLINE}: what to send again. */
    record Retry(CheckoutStep step, ProductId productId, int attempt) {
    }

    @JsonProperty
    private CheckoutId checkoutId;
    @JsonProperty
    private OrderId orderId;
    @JsonProperty
    private CustomerId customerId;
    @JsonProperty
    private Phase phase;
    /** By product id, in the order of the checkout's lines. */
    @JsonProperty
    private Map<String, Line> lines = new LinkedHashMap<>();
    /** The attempt of the order step under way (create or approve). */
    @JsonProperty
    private int orderAttempt;
    @JsonProperty
    private boolean orderCancelled;
    @JsonProperty
    private CheckoutStep failedStep;
    @JsonProperty
    private CompensationCause cause;
    @JsonProperty
    private String reason;
    /** Numbers the steps (and compensation rounds) under a deadline. */
    @JsonProperty
    private int stepSequence;
    /** When the current step times out (or the next compensation round is due). */
    @JsonProperty
    private Instant stepDue;
    /** While compensating, the round that {@link #stepDue} starts. */
    @JsonProperty
    private int stepRound;
    /**
     * The one step deadline kept in the deadline manager: the step it was armed for, when, and its schedule id
     * (none once it fired or the saga ended). It is due no later than {@link #stepDue}.
     */
    @JsonProperty
    private int armedSequence;
    @JsonProperty
    private Instant armedDue;
    @JsonProperty
    private String armedId;

    @StartSaga
    @SagaEventHandler(associationProperty = CHECKOUT_ID)
    void on(CheckoutStartedEvent event, CommandGateway commands, DeadlineManager deadlines,
            CheckoutSagaProperties settings) {
        checkoutId = event.checkoutId();
        orderId = event.orderId();
        customerId = event.customerId();
        event.lines().forEach(l -> lines.put(l.productId().value(), new Line(l.quantity())));
        SagaLifecycle.associateWith(ORDER_ID, orderId.value());
        phase = Phase.CREATING_ORDER;
        orderAttempt = 1;
        createOrder(commands);
        scheduleStep(deadlines, settings.stepTimeout(), 0);
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    void on(OrderCreatedEvent event, CommandGateway commands, DeadlineManager deadlines,
            CheckoutSagaProperties settings) {
        if (phase != Phase.CREATING_ORDER) {
            return; // compensating: the cancellation under way covers this order
        }
        phase = Phase.RESERVING_STOCK;
        lines.forEach((productId, line) -> {
            line.state = LineState.PENDING;
            line.attempt = 1;
            reserve(commands, productId, line);
        });
        scheduleStep(deadlines, settings.stepTimeout(), 0);
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    void on(StockReservedEvent event, CommandGateway commands, EventGateway events, DeadlineManager deadlines,
            CheckoutSagaProperties settings) {
        Line line = lines.get(event.productId().value());
        if (line == null || line.state != LineState.PENDING) {
            return;
        }
        line.state = LineState.RESERVED;
        line.unitPrice = event.unitPrice();
        if (phase == Phase.COMPENSATING) {
            if (orderCancelled) {
                // A reservation that arrives after compensation began is given back at once.
                release(commands, event.productId().value());
            }
        } else if (lines.values().stream().allMatch(l -> l.state == LineState.RESERVED)) {
            phase = Phase.APPROVING_ORDER;
            orderAttempt = 1;
            approveOrder(commands);
            scheduleStep(deadlines, settings.stepTimeout(), 0);
        }
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    void on(StockReservationRejectedEvent event, CommandGateway commands, EventGateway events,
            DeadlineManager deadlines, CheckoutSagaProperties settings) {
        Line line = lines.get(event.productId().value());
        if (line == null || line.state.holdsNothing()) {
            return;
        }
        boolean wasReserved = line.state == LineState.RESERVED;
        line.state = LineState.REJECTED;
        if (wasReserved) {
            log.error("Checkout {}: product {} rejected a reservation it had confirmed", checkoutId,
                    event.productId());
        }
        if (phase != Phase.COMPENSATING) {
            compensate(commands, events, deadlines, settings, CheckoutStep.RESERVE_STOCK, CompensationCause.REJECTED,
                    "Product " + event.productId() + " rejected the reservation: " + event.reason());
        } else {
            endIfCompensated(events, deadlines);
        }
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    void on(StockReleasedEvent event, EventGateway events, DeadlineManager deadlines) {
        Line line = lines.get(event.productId().value());
        if (line == null || line.state.holdsNothing()) {
            return;
        }
        line.state = LineState.RELEASED;
        endIfCompensated(events, deadlines);
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    void on(OrderApprovedEvent event, EventGateway events, DeadlineManager deadlines) {
        if (lines.values().stream().allMatch(l -> l.state == LineState.RESERVED)) {
            // Approval is only sent once every line is reserved, and no line is released before the order is
            // cancelled, which an approved order cannot be: so this holds even if compensation had begun.
            events.publish(new CheckoutCompletedEvent(checkoutId, orderId, event.total()));
            end(deadlines);
        } else {
            log.error("Checkout {}: order {} approved while lines are {}", checkoutId, orderId, lineStates());
        }
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    void on(OrderCancelledEvent event, CommandGateway commands, EventGateway events, DeadlineManager deadlines,
            CheckoutSagaProperties settings) {
        orderCancelled = true;
        if (phase != Phase.COMPENSATING) {
            compensate(commands, events, deadlines, settings, stepOf(phase), CompensationCause.ORDER_CANCELLED,
                    "Order " + orderId + " was cancelled: " + event.reason());
            return;
        }
        releaseHeldLines(commands);
        endIfCompensated(events, deadlines);
    }

    @SagaEventHandler(associationProperty = CHECKOUT_ID)
    void on(CheckoutStepFailedEvent event, CommandGateway commands, EventGateway events, DeadlineManager deadlines,
            CheckoutSagaProperties settings) {
        switch (event.step()) {
            case CREATE_ORDER, APPROVE_ORDER -> {
                if (phase != phaseOf(event.step()) || orderAttempt != event.attempt()) {
                    return; // a late report of an attempt that has been superseded
                }
                retryOrCompensate(event, commands, events, deadlines, settings);
            }
            case RESERVE_STOCK -> {
                Line line = lines.get(event.productId().value());
                if (phase != Phase.RESERVING_STOCK || line == null || line.state != LineState.PENDING
                        || line.attempt != event.attempt()) {
                    return;
                }
                if (event.kind() == FailureKind.NOT_FOUND) {
                    line.state = LineState.ABSENT;
                    compensate(commands, events, deadlines, settings, CheckoutStep.RESERVE_STOCK,
                            CompensationCause.UNKNOWN_PRODUCT, "Unknown product " + event.productId());
                } else {
                    retryOrCompensate(event, commands, events, deadlines, settings);
                }
            }
            case RELEASE_STOCK -> {
                Line line = lines.get(event.productId().value());
                if (event.kind() == FailureKind.NOT_FOUND && line != null && !line.state.holdsNothing()) {
                    line.state = LineState.ABSENT; // no such product: it holds nothing for anyone
                    endIfCompensated(events, deadlines);
                }
                // Otherwise the next round of compensation sends it again.
            }
            case CANCEL_ORDER -> {
                // The next round of compensation sends it again.
            }
        }
    }

    /** An operator asked to send the current step again now: its commands go out, with a fresh deadline. */
    @SagaEventHandler(associationProperty = CHECKOUT_ID)
    void on(CheckoutRetryRequestedEvent event, CommandGateway commands, DeadlineManager deadlines,
            CheckoutSagaProperties settings) {
        log.info("Checkout {}: {} asked to retry {}", checkoutId, event.operator(), phase);
        switch (phase) {
            case CREATING_ORDER -> {
                orderAttempt++;
                createOrder(commands);
            }
            case RESERVING_STOCK -> lines.forEach((productId, line) -> {
                if (line.state == LineState.PENDING) {
                    line.attempt++;
                    reserve(commands, productId, line);
                }
            });
            case APPROVING_ORDER -> {
                orderAttempt++;
                approveOrder(commands);
            }
            case COMPENSATING -> sendCompensations(commands);
        }
        if (phase != Phase.COMPENSATING) {
            scheduleStep(deadlines, settings.stepTimeout(), 0);
        }
    }

    /** An operator gave up on the checkout: compensate, unless it is compensating already. */
    @SagaEventHandler(associationProperty = CHECKOUT_ID)
    void on(CheckoutCompensationRequestedEvent event, CommandGateway commands, EventGateway events,
            DeadlineManager deadlines, CheckoutSagaProperties settings) {
        if (phase == Phase.COMPENSATING) {
            return;
        }
        compensate(commands, events, deadlines, settings, stepOf(phase), CompensationCause.OPERATOR,
                "Compensation forced by " + event.operator() + ": " + event.reason());
    }

    @DeadlineHandler(deadlineName = RETRY_DEADLINE)
    void retry(Retry retry, CommandGateway commands, EventGateway events) {
        switch (retry.step()) {
            case CREATE_ORDER, APPROVE_ORDER -> {
                if (phase != phaseOf(retry.step()) || orderAttempt != retry.attempt()) {
                    return;
                }
                orderAttempt++;
                events.publish(new CheckoutStepRetriedEvent(checkoutId, retry.step(), null, orderAttempt));
                if (retry.step() == CheckoutStep.CREATE_ORDER) {
                    createOrder(commands);
                } else {
                    approveOrder(commands);
                }
            }
            case RESERVE_STOCK -> {
                Line line = lines.get(retry.productId().value());
                if (phase != Phase.RESERVING_STOCK || line == null || line.state != LineState.PENDING
                        || line.attempt != retry.attempt()) {
                    return;
                }
                line.attempt++;
                events.publish(new CheckoutStepRetriedEvent(checkoutId, retry.step(), retry.productId(),
                        line.attempt));
                reserve(commands, retry.productId().value(), line);
            }
            default -> log.warn("Checkout {}: no retry for step {}", checkoutId, retry.step());
        }
    }

    @DeadlineHandler(deadlineName = STEP_DEADLINE)
    void stepDeadline(StepDeadline deadline, CommandGateway commands, EventGateway events,
                      DeadlineManager deadlines, CheckoutSagaProperties settings) {
        if (stepDue == null) {
            // A saga stored before step deadlines were armed one at a time: every step scheduled its own.
            if (deadline.sequence() != stepSequence) {
                return;
            }
            stepRound = deadline.round();
        } else {
            if (deadline.sequence() != armedSequence) {
                return; // superseded: a deadline due earlier was armed after this one
            }
            armedSequence = 0;
            armedDue = null;
            armedId = null;
            Instant now = now();
            if (deadline.sequence() != stepSequence && stepDue.isAfter(now)) {
                arm(deadlines, Duration.between(now, stepDue)); // its step has ended; the current one is due later
                return;
            }
        }
        if (phase != Phase.COMPENSATING) {
            CheckoutStep step = stepOf(phase);
            compensate(commands, events, deadlines, settings, step, CompensationCause.TIMED_OUT,
                    step + " timed out after " + settings.stepTimeout().toMillis() + " ms"
                            + (phase == Phase.RESERVING_STOCK ? " (lines: " + lineStates() + ")" : ""));
            return;
        }
        // Compensations not yet confirmed are sent again, until they are.
        int round = stepRound;
        log.info("Checkout {}: compensation round {}, order cancelled: {}, lines: {}", checkoutId, round,
                orderCancelled, lineStates());
        sendCompensations(commands);
        scheduleStep(deadlines, settings.compensationDelay(round + 1), round + 1);
    }

    private void retryOrCompensate(CheckoutStepFailedEvent event, CommandGateway commands, EventGateway events,
                                   DeadlineManager deadlines, CheckoutSagaProperties settings) {
        if (event.kind() == FailureKind.TRANSIENT && event.attempt() < settings.maxAttempts()) {
            deadlines.schedule(settings.retryDelay(event.attempt()), RETRY_DEADLINE,
                    new Retry(event.step(), event.productId(), event.attempt()));
        } else {
            String subject = event.productId() == null ? "" : " of product " + event.productId();
            compensate(commands, events, deadlines, settings, event.step(), CompensationCause.COMMAND_FAILED,
                    event.step() + subject + " failed after " + event.attempt()
                            + (event.attempt() == 1 ? " attempt: " : " attempts: ") + event.reason());
        }
    }

    /** Gives up on the checkout: cancel the order first, then release every line that may hold stock. */
    private void compensate(CommandGateway commands, EventGateway events, DeadlineManager deadlines,
                            CheckoutSagaProperties settings, CheckoutStep step, CompensationCause why,
                            String description) {
        phase = Phase.COMPENSATING;
        failedStep = step;
        cause = why;
        reason = description;
        log.info("Checkout {}: compensating ({}), {}", checkoutId, why, description);
        events.publish(new CheckoutCompensationStartedEvent(checkoutId, step, why, description));
        sendCompensations(commands);
        scheduleStep(deadlines, settings.compensationDelay(1), 1);
        endIfCompensated(events, deadlines);
    }

    private void sendCompensations(CommandGateway commands) {
        if (!orderCancelled) {
            // Releases wait for the cancellation: if the approval won the race, the stock stays with the order.
            send(commands, CheckoutStep.CANCEL_ORDER, null, 0, new CancelOrderCommand(orderId, reason));
        } else {
            releaseHeldLines(commands);
        }
    }

    private void releaseHeldLines(CommandGateway commands) {
        lines.forEach((productId, line) -> {
            if (!line.state.holdsNothing()) {
                release(commands, productId);
            }
        });
    }

    private void endIfCompensated(EventGateway events, DeadlineManager deadlines) {
        if (phase == Phase.COMPENSATING && orderCancelled
                && lines.values().stream().allMatch(l -> l.state.holdsNothing())) {
            events.publish(new CheckoutFailedEvent(checkoutId, orderId, failedStep, cause, reason));
            end(deadlines);
        }
    }

    /**
     * Ends the saga and cancels its step deadline with it (the deadline manager leaves one that is firing at this
     * moment alone). Any other deadline still outstanding, such as a retry's backoff, finds no saga when it fires,
     * and does nothing.
     */
    private void end(DeadlineManager deadlines) {
        if (armedId != null) {
            deadlines.cancelSchedule(STEP_DEADLINE, armedId);
            armedId = null;
        }
        SagaLifecycle.end();
    }

    /**
     * The first attempt is for an order id made with the checkout: no order can have it yet, so the order is created
     * without a look-up ({@link CreateOrderCommand#NEW}). A later attempt may find the order made by an earlier one,
     * or cancelled, and is a no-op then.
     */
    private void createOrder(CommandGateway commands) {
        List<OrderLine> orderLines = lines.entrySet().stream()
                .map(e -> new OrderLine(new ProductId(e.getKey()), e.getValue().quantity))
                .toList();
        CreateOrderCommand create = new CreateOrderCommand(orderId, customerId, orderLines);
        send(commands, CheckoutStep.CREATE_ORDER, null, orderAttempt, orderAttempt == 1
                ? new GenericCommandMessage<>(new GenericMessage<>(create), CreateOrderCommand.NEW)
                : create);
    }

    private void approveOrder(CommandGateway commands) {
        List<PricedLine> priced = lines.entrySet().stream()
                .map(e -> new PricedLine(new ProductId(e.getKey()), e.getValue().quantity, e.getValue().unitPrice))
                .toList();
        send(commands, CheckoutStep.APPROVE_ORDER, null, orderAttempt, new ApproveOrderCommand(orderId, priced));
    }

    private void reserve(CommandGateway commands, String productId, Line line) {
        ProductId product = new ProductId(productId);
        send(commands, CheckoutStep.RESERVE_STOCK, product, line.attempt,
                new ReserveStockCommand(product, orderId, line.quantity));
    }

    private void release(CommandGateway commands, String productId) {
        ProductId product = new ProductId(productId);
        send(commands, CheckoutStep.RELEASE_STOCK, product, 0, new ReleaseStockCommand(product, orderId));
    }

    /**
     * Sends a command and makes sure its failure is heard: the failure is recorded on the checkout, which turns
     * it into an event this saga handles. Should even that fail, the step deadline still ends the step.
     */
    private void send(CommandGateway commands, CheckoutStep step, ProductId productId, int attempt, Object command) {
        CheckoutId id = checkoutId; // what follows runs later, outside this saga's unit of work: no saga state
        // The message is made now, carrying this checkout's id: made after the commit, it would take the
        // correlation data of whichever event of the batch was handled last, another checkout's.
        CommandMessage<?> message = GenericCommandMessage.asCommandMessage(command)
                .andMetaData(Map.of(CheckoutMetaData.CHECKOUT_ID, id.value()));
        if (CurrentUnitOfWork.isStarted()) {
            // Only once the saga's decision is committed: if its transaction rolls back, nothing was sent, and the
            // event is handled again. A crash between the commit and the send is covered by the step deadline.
            afterCommit().add(() -> dispatch(commands, id, step, productId, attempt, message));
        } else {
            dispatch(commands, id, step, productId, attempt, message);
        }
    }

    /** The commands to send once the current unit of work commits, in the order the saga decided them. */
    private static List<Runnable> afterCommit() {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get();
        return unitOfWork.getOrComputeResource(OUTBOX, key -> {
            List<Runnable> outbox = new ArrayList<>();
            unitOfWork.afterCommit(u -> outbox.forEach(Runnable::run));
            return outbox;
        });
    }

    private static void dispatch(CommandGateway commands, CheckoutId id, CheckoutStep step, ProductId productId,
                                 int attempt, CommandMessage<?> command) {
        commands.send(command).whenComplete((result, failure) -> {
            if (failure == null) {
                return;
            }
            FailureKind kind = CommandFailures.classify(failure);
            String why = CommandFailures.describe(failure);
            MDC.put(CheckoutMetaData.CHECKOUT_ID, id.value());
            log.warn("Checkout {}: {} failed ({}): {}", id, step, kind, why);
            MDC.remove(CheckoutMetaData.CHECKOUT_ID);
            commands.send(GenericCommandMessage.asCommandMessage(
                            new RecordCheckoutStepFailureCommand(id, step, productId, attempt, kind, why))
                    .andMetaData(Map.of(CheckoutMetaData.CHECKOUT_ID, id.value())))
                    .whenComplete((r, f) -> {
                        if (f != null) {
                            log.error("Checkout {}: could not record the failure of {}; its deadline will act",
                                    id, step, f);
                        }
                    });
        });
    }

    /**
     * Starts a step (or compensation round) that times out {@code after} from now. One step deadline is kept at a
     * time: a new one is armed only if the one already armed would fire too late. A deadline armed for an earlier
     * step that fires before the current step is due arms the next one then ({@link #stepDeadline}). A checkout
     * whose steps all end in time so writes one deadline and cancels it at the end, instead of writing one per step
     * and running each 30 s later. The armed deadline is never cancelled while the saga runs: it may be firing at
     * this very moment (and db-scheduler refuses to cancel a running execution, failing the whole transaction).
     */
    private void scheduleStep(DeadlineManager deadlines, Duration after, int round) {
        stepSequence++;
        stepRound = round;
        stepDue = now().plus(after);
        if (armedId == null || armedDue.isAfter(stepDue)) {
            arm(deadlines, after);
        }
    }

    private void arm(DeadlineManager deadlines, Duration after) {
        armedSequence = stepSequence;
        armedDue = stepDue;
        armedId = deadlines.schedule(after, STEP_DEADLINE, new StepDeadline(phase, stepRound, stepSequence));
    }

    /**
     * Now, as the deadline manager reckons it: the clock, or the handled message's time if that is later. A step's
     * timeout runs from when the saga handles the event that starts it (not from the event's own time, which may lie
     * far back when the processor catches up after a restart). In the saga test fixture, whose time runs ahead of the
     * clock, the events and deadlines carry the fixture's time.
     */
    private static Instant now() {
        Instant clock = GenericEventMessage.clock.instant();
        return CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get().getMessage() instanceof EventMessage<?> m
                && m.getTimestamp().isAfter(clock) ? m.getTimestamp() : clock;
    }

    private String lineStates() {
        StringBuilder states = new StringBuilder();
        lines.forEach((productId, line) -> states.append(states.isEmpty() ? "" : ", ")
                .append(productId).append('=').append(line.state));
        return states.toString();
    }

    private static Phase phaseOf(CheckoutStep step) {
        return switch (step) {
            case CREATE_ORDER -> Phase.CREATING_ORDER;
            case RESERVE_STOCK -> Phase.RESERVING_STOCK;
            case APPROVE_ORDER -> Phase.APPROVING_ORDER;
            case CANCEL_ORDER, RELEASE_STOCK -> Phase.COMPENSATING;
        };
    }

    private static CheckoutStep stepOf(Phase phase) {
        return switch (phase) {
            case CREATING_ORDER -> CheckoutStep.CREATE_ORDER;
            case RESERVING_STOCK -> CheckoutStep.RESERVE_STOCK;
            case APPROVING_ORDER -> CheckoutStep.APPROVE_ORDER;
            case COMPENSATING -> CheckoutStep.CANCEL_ORDER;
        };
    }
}
