package io.checkout.saga;

import static org.hamcrest.Matchers.instanceOf;

import io.checkout.saga.CheckoutSaga.Retry;
import io.checkout.shared.checkout.CheckoutCompensationStartedEvent;
import io.checkout.shared.checkout.CheckoutCompensationRequestedEvent;
import io.checkout.shared.checkout.CheckoutCompletedEvent;
import io.checkout.shared.checkout.CheckoutRetryRequestedEvent;
import io.checkout.shared.checkout.CheckoutFailedEvent;
import io.checkout.shared.checkout.CheckoutId;
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
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.deadline.DeadlineMessage;
import org.axonframework.eventhandling.gateway.DefaultEventGateway;
import org.axonframework.test.matchers.Matchers;
import org.axonframework.test.saga.SagaTestFixture;
import org.hamcrest.CustomTypeSafeMatcher;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The saga's happy path and every compensation path. Sagas in the fixture are stored in memory; the serialized
 * form is covered by CheckoutSagaSerializationTest and the restart test.
 */
class CheckoutSagaTest {

    private static final CheckoutId CHECKOUT = new CheckoutId("k-1");
    private static final String ID = CHECKOUT.value();
    private static final OrderId ORDER = new OrderId("o-1");
    private static final CustomerId CUSTOMER = new CustomerId("c-1");
    private static final ProductId P1 = new ProductId("p-1");
    private static final ProductId P2 = new ProductId("p-2");
    private static final ProductId P3 = new ProductId("p-3");
    private static final BigDecimal PRICE1 = new BigDecimal("2.50");
    private static final BigDecimal PRICE2 = new BigDecimal("10.00");
    private static final List<OrderLine> LINES = List.of(new OrderLine(P1, 2), new OrderLine(P2, 1));
    private static final CheckoutSagaProperties SETTINGS = new CheckoutSagaProperties(Duration.ofSeconds(30), 3,
            Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(30), 0);

    private static final CheckoutStartedEvent STARTED = new CheckoutStartedEvent(CHECKOUT, ORDER, CUSTOMER, LINES, "f");
    private static final OrderCreatedEvent CREATED = new OrderCreatedEvent(ORDER, CUSTOMER, LINES);
    private static final StockReservedEvent RESERVED1 = new StockReservedEvent(P1, ORDER, 2, PRICE1);
    private static final StockReservedEvent RESERVED2 = new StockReservedEvent(P2, ORDER, 1, PRICE2);
    private static final List<PricedLine> PRICED = List.of(new PricedLine(P1, 2, PRICE1), new PricedLine(P2, 1, PRICE2));
    private static final String NO_STOCK = "Not enough stock: 0 available, 1 requested";

    private SagaTestFixture<CheckoutSaga> fixture;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(CheckoutSaga.class);
        fixture.registerResource(SETTINGS);
        fixture.registerResource(DefaultEventGateway.builder().eventBus(fixture.getEventBus()).build());
    }

    private static CheckoutStepFailedEvent failed(CheckoutStep step, ProductId product, int attempt, FailureKind kind) {
        return new CheckoutStepFailedEvent(CHECKOUT, step, product, attempt, kind, "boom");
    }

    @Nested
    class HappyPath {

        @Test
        void startsByCreatingTheOrderUnderADeadline() throws Exception {
            fixture.givenNoPriorActivity()
                    .whenPublishingA(STARTED)
                    .expectActiveSagas(1)
                    .expectAssociationWith(CheckoutSaga.ORDER_ID, ORDER.value())
                    .expectDispatchedCommands(new CreateOrderCommand(ORDER, CUSTOMER, LINES))
                    .expectScheduledDeadlineWithName(Duration.ofSeconds(30), CheckoutSaga.STEP_DEADLINE);
        }

        /**
         * The order id was made with the checkout, so the first create goes under the name that creates the order
         * without looking for it; a retry may find the order an earlier attempt made, and goes under the plain name.
         */
        @Test
        void theFirstCreateIsForANewOrderAndARetryMayFindOne() throws Exception {
            CreateOrderCommand create = new CreateOrderCommand(ORDER, CUSTOMER, LINES);
            fixture.givenNoPriorActivity()
                    .whenPublishingA(STARTED)
                    .expectDispatchedCommandsMatching(sentOnce(create, CreateOrderCommand.NEW));
            fixture.givenAPublished(STARTED)
                    .whenPublishingA(new CheckoutRetryRequestedEvent(CHECKOUT, "ops"))
                    .expectDispatchedCommandsMatching(sentOnce(create, CreateOrderCommand.class.getName()));
        }

        private static Matcher<List<CommandMessage<?>>> sentOnce(Object payload, String commandName) {
            return new CustomTypeSafeMatcher<>("only " + payload + " as " + commandName) {
                @Override
                protected boolean matchesSafely(List<CommandMessage<?>> sent) {
                    return sent.size() == 1 && sent.get(0).getPayload().equals(payload)
                            && sent.get(0).getCommandName().equals(commandName);
                }
            };
        }

        @Test
        void reservesEveryLineOnceTheOrderExists() throws Exception {
            fixture.givenAPublished(STARTED)
                    .whenPublishingA(CREATED)
                    .expectDispatchedCommands(new ReserveStockCommand(P1, ORDER, 2),
                            new ReserveStockCommand(P2, ORDER, 1));
        }

        @Test
        void everyCommandCarriesItsCheckoutIdWhateverMessageCameLast() throws Exception {
            // Commands leave after the saga's batch commits; their checkout id must not come from the batch's last
            // message, which may belong to another checkout.
            fixture.givenAPublished(STARTED)
                    .whenPublishingA(CREATED, java.util.Map.of("checkoutId", "another-checkout"))
                    .expectDispatchedCommands(new ReserveStockCommand(P1, ORDER, 2),
                            new ReserveStockCommand(P2, ORDER, 1));
            assertThat(fixture.getCommandBus().getDispatchedCommands())
                    .extracting(c -> c.getMetaData().get("checkoutId"))
                    .containsOnly(CHECKOUT.value());
        }

        @Test
        void waitsForEveryLineBeforeApproving() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED)
                    .whenPublishingA(RESERVED1)
                    .expectNoDispatchedCommands();
        }

        @Test
        void approvesAtTheReservedPricesWhenEveryLineIsReserved() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED).andThenAPublished(RESERVED1)
                    .whenPublishingA(RESERVED2)
                    .expectDispatchedCommands(new ApproveOrderCommand(ORDER, PRICED));
        }

        @Test
        void completesAndEndsWhenTheOrderIsApproved() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED).andThenAPublished(RESERVED1)
                    .andThenAPublished(RESERVED2)
                    .whenPublishingA(new OrderApprovedEvent(ORDER, PRICED, new BigDecimal("15.00")))
                    .expectPublishedEvents(new CheckoutCompletedEvent(CHECKOUT, ORDER, new BigDecimal("15.00")))
                    .expectActiveSagas(0);
        }
    }

    @Nested
    class Rejections {

        @Test
        void cancelsTheOrderFirstWhenTheFirstLineIsRejected() throws Exception {
            String reason = "Product p-1 rejected the reservation: " + NO_STOCK;
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED)
                    .whenPublishingA(new StockReservationRejectedEvent(P1, ORDER, 2, NO_STOCK))
                    .expectPublishedEvents(
                            new CheckoutCompensationStartedEvent(CHECKOUT, CheckoutStep.RESERVE_STOCK, CompensationCause.REJECTED,
                            reason))
                    .expectDispatchedCommands(new CancelOrderCommand(ORDER, reason))
                    .expectActiveSagas(1);
        }

        @Test
        void releasesOnlyLinesThatMayHoldStockOnceTheOrderIsCancelled() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED)
                    .andThenAPublished(new StockReservationRejectedEvent(P1, ORDER, 2, NO_STOCK))
                    .whenPublishingA(new OrderCancelledEvent(ORDER, "rejected"))
                    .expectDispatchedCommands(new ReleaseStockCommand(P2, ORDER));
        }

        @Test
        void failsAndEndsWhenEveryReleaseIsConfirmed() throws Exception {
            String reason = "Product p-1 rejected the reservation: " + NO_STOCK;
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED)
                    .andThenAPublished(new StockReservationRejectedEvent(P1, ORDER, 2, NO_STOCK))
                    .andThenAPublished(new OrderCancelledEvent(ORDER, reason))
                    .whenPublishingA(new StockReleasedEvent(P2, ORDER, 0))
                    .expectPublishedEvents(
                            new CheckoutFailedEvent(CHECKOUT, ORDER, CheckoutStep.RESERVE_STOCK,
                                    CompensationCause.REJECTED, reason))
                    .expectActiveSagas(0);
        }

        @Test
        void releasesReservedLinesWhenTheSecondOfThreeLinesIsRejected() throws Exception {
            List<OrderLine> three = List.of(new OrderLine(P1, 2), new OrderLine(P2, 1), new OrderLine(P3, 4));
            fixture.givenAPublished(new CheckoutStartedEvent(CHECKOUT, ORDER, CUSTOMER, three, "f"))
                    .andThenAPublished(new OrderCreatedEvent(ORDER, CUSTOMER, three))
                    .andThenAPublished(RESERVED1)
                    .andThenAPublished(new StockReservationRejectedEvent(P2, ORDER, 1, NO_STOCK))
                    .whenPublishingA(new OrderCancelledEvent(ORDER, "rejected"))
                    // p-1 holds 2 units; p-3's reserve is still under way, so its release is sent too
                    .expectDispatchedCommands(new ReleaseStockCommand(P1, ORDER), new ReleaseStockCommand(P3, ORDER));
        }

        @Test
        void endsOnlyWhenTheLastHeldLineIsReleased() throws Exception {
            List<OrderLine> three = List.of(new OrderLine(P1, 2), new OrderLine(P2, 1), new OrderLine(P3, 4));
            fixture.givenAPublished(new CheckoutStartedEvent(CHECKOUT, ORDER, CUSTOMER, three, "f"))
                    .andThenAPublished(new OrderCreatedEvent(ORDER, CUSTOMER, three))
                    .andThenAPublished(RESERVED1)
                    .andThenAPublished(new StockReservationRejectedEvent(P2, ORDER, 1, NO_STOCK))
                    .andThenAPublished(new OrderCancelledEvent(ORDER, "rejected"))
                    .andThenAPublished(new StockReleasedEvent(P3, ORDER, 0))
                    .whenPublishingA(new StockReleasedEvent(P1, ORDER, 2))
                    .expectPublishedEventsMatching(Matchers.payloadsMatching(Matchers.exactSequenceOf(
                            instanceOf(CheckoutFailedEvent.class), Matchers.andNoMore())))
                    .expectActiveSagas(0);
        }

        @Test
        void keepsRunningWhileALineMayStillHoldStock() throws Exception {
            List<OrderLine> three = List.of(new OrderLine(P1, 2), new OrderLine(P2, 1), new OrderLine(P3, 4));
            fixture.givenAPublished(new CheckoutStartedEvent(CHECKOUT, ORDER, CUSTOMER, three, "f"))
                    .andThenAPublished(new OrderCreatedEvent(ORDER, CUSTOMER, three))
                    .andThenAPublished(RESERVED1)
                    .andThenAPublished(new StockReservationRejectedEvent(P2, ORDER, 1, NO_STOCK))
                    .andThenAPublished(new OrderCancelledEvent(ORDER, "rejected"))
                    .whenPublishingA(new StockReleasedEvent(P1, ORDER, 2))
                    .expectNoDispatchedCommands()
                    .expectPublishedEvents()
                    .expectActiveSagas(1);
        }

        @Test
        void compensatesWhenTheOrderIsCancelledFromOutside() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED).andThenAPublished(RESERVED1)
                    .whenPublishingA(new OrderCancelledEvent(ORDER, "customer called"))
                    .expectPublishedEvents(new CheckoutCompensationStartedEvent(CHECKOUT, CheckoutStep.RESERVE_STOCK, CompensationCause.ORDER_CANCELLED,
                            "Order o-1 was cancelled: customer called"))
                    .expectDispatchedCommands(new ReleaseStockCommand(P1, ORDER), new ReleaseStockCommand(P2, ORDER));
        }
    }

    @Nested
    class CommandFailures {

        @Test
        void reportsAFailedCommandToTheCheckoutAsAnEvent() throws Exception {
            fixture.setCallbackBehavior((payload, metaData) -> {
                if (payload instanceof ReserveStockCommand r && r.productId().equals(P1)) {
                    throw new IllegalStateException("connection reset");
                }
                return null;
            });
            fixture.givenAPublished(STARTED)
                    .whenPublishingA(CREATED)
                    .expectDispatchedCommands(new ReserveStockCommand(P1, ORDER, 2),
                            new RecordCheckoutStepFailureCommand(CHECKOUT, CheckoutStep.RESERVE_STOCK, P1, 1,
                                    FailureKind.PERMANENT, "connection reset"),
                            new ReserveStockCommand(P2, ORDER, 1));
        }

        @Test
        void classifiesUnknownErrorsAsTransient() throws Exception {
            fixture.setCallbackBehavior((payload, metaData) -> {
                if (payload instanceof CreateOrderCommand) {
                    throw new RuntimeException("database unreachable");
                }
                return null;
            });
            fixture.givenNoPriorActivity()
                    .whenPublishingA(STARTED)
                    .expectDispatchedCommands(new CreateOrderCommand(ORDER, CUSTOMER, LINES),
                            new RecordCheckoutStepFailureCommand(CHECKOUT, CheckoutStep.CREATE_ORDER, null, 1,
                                    FailureKind.TRANSIENT, "database unreachable"));
        }

        @Test
        void schedulesARetryWithBackoffAfterATransientFailure() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED)
                    .whenPublishingA(failed(CheckoutStep.RESERVE_STOCK, P1, 1, FailureKind.TRANSIENT))
                    .expectNoDispatchedCommands()
                    .expectScheduledDeadline(Duration.ofMillis(200), new Retry(CheckoutStep.RESERVE_STOCK, P1, 1));
        }

        @Test
        void sendsTheCommandAgainWhenTheBackoffEnds() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED)
                    .andThenAPublished(failed(CheckoutStep.RESERVE_STOCK, P1, 1, FailureKind.TRANSIENT))
                    .whenTimeElapses(Duration.ofMillis(200))
                    .expectDeadlinesMet(new Retry(CheckoutStep.RESERVE_STOCK, P1, 1))
                    .expectDispatchedCommands(new ReserveStockCommand(P1, ORDER, 2))
                    .expectPublishedEvents(new CheckoutStepRetriedEvent(CHECKOUT, CheckoutStep.RESERVE_STOCK, P1, 2));
        }

        @Test
        void doublesTheBackoffForEachRetry() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED)
                    .andThenAPublished(failed(CheckoutStep.RESERVE_STOCK, P1, 1, FailureKind.TRANSIENT))
                    .andThenTimeElapses(Duration.ofMillis(200))
                    .whenPublishingA(failed(CheckoutStep.RESERVE_STOCK, P1, 2, FailureKind.TRANSIENT))
                    .expectScheduledDeadline(Duration.ofMillis(400), new Retry(CheckoutStep.RESERVE_STOCK, P1, 2));
        }

        @Test
        void completesWhenARetriedStepSucceeds() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED)
                    .andThenAPublished(failed(CheckoutStep.RESERVE_STOCK, P1, 1, FailureKind.TRANSIENT))
                    .andThenTimeElapses(Duration.ofMillis(200))
                    .andThenAPublished(RESERVED2)
                    .whenPublishingA(RESERVED1)
                    .expectDispatchedCommands(new ApproveOrderCommand(ORDER, PRICED));
        }

        @Test
        void compensatesWhenRetriesRunOut() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED)
                    .andThenAPublished(failed(CheckoutStep.RESERVE_STOCK, P1, 1, FailureKind.TRANSIENT))
                    .andThenTimeElapses(Duration.ofMillis(200))
                    .andThenAPublished(failed(CheckoutStep.RESERVE_STOCK, P1, 2, FailureKind.TRANSIENT))
                    .andThenTimeElapses(Duration.ofMillis(400))
                    .whenPublishingA(failed(CheckoutStep.RESERVE_STOCK, P1, 3, FailureKind.TRANSIENT))
                    .expectPublishedEvents(new CheckoutCompensationStartedEvent(CHECKOUT, CheckoutStep.RESERVE_STOCK, CompensationCause.COMMAND_FAILED,
                            "RESERVE_STOCK of product p-1 failed after 3 attempts: boom"))
                    .expectDispatchedCommands(new CancelOrderCommand(ORDER,
                            "RESERVE_STOCK of product p-1 failed after 3 attempts: boom"));
        }

        @Test
        void compensatesAtOnceOnAPermanentFailure() throws Exception {
            fixture.givenAPublished(STARTED)
                    .whenPublishingA(failed(CheckoutStep.CREATE_ORDER, null, 1, FailureKind.PERMANENT))
                    .expectDispatchedCommands(new CancelOrderCommand(ORDER, "CREATE_ORDER failed after 1 attempt: boom"))
                    .expectNoScheduledDeadlineWithName(Duration.ofMillis(200), CheckoutSaga.RETRY_DEADLINE);
        }

        @Test
        void failsWithoutReleasesWhenTheOrderWasNeverCreated() throws Exception {
            fixture.givenAPublished(STARTED)
                    .andThenAPublished(failed(CheckoutStep.CREATE_ORDER, null, 1, FailureKind.PERMANENT))
                    .whenPublishingA(new OrderCancelledEvent(ORDER, "CREATE_ORDER failed"))
                    .expectNoDispatchedCommands()
                    .expectPublishedEvents(new CheckoutFailedEvent(CHECKOUT, ORDER, CheckoutStep.CREATE_ORDER,
                            CompensationCause.COMMAND_FAILED,
                            "CREATE_ORDER failed after 1 attempt: boom"))
                    .expectActiveSagas(0);
        }

        @Test
        void treatsAnUnknownProductAsHoldingNothing() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED)
                    .andThenAPublished(failed(CheckoutStep.RESERVE_STOCK, P1, 1, FailureKind.NOT_FOUND))
                    .whenPublishingA(new OrderCancelledEvent(ORDER, "Unknown product p-1"))
                    .expectDispatchedCommands(new ReleaseStockCommand(P2, ORDER));
        }

        @Test
        void compensatesForAnUnknownProductWithItsName() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED)
                    .whenPublishingA(failed(CheckoutStep.RESERVE_STOCK, P1, 1, FailureKind.NOT_FOUND))
                    .expectPublishedEvents(new CheckoutCompensationStartedEvent(CHECKOUT, CheckoutStep.RESERVE_STOCK, CompensationCause.UNKNOWN_PRODUCT,
                            "Unknown product p-1"));
        }

        @Test
        void ignoresAReportOfASupersededAttempt() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED)
                    .andThenAPublished(failed(CheckoutStep.RESERVE_STOCK, P1, 1, FailureKind.TRANSIENT))
                    .andThenTimeElapses(Duration.ofMillis(200))
                    .whenPublishingA(failed(CheckoutStep.RESERVE_STOCK, P1, 1, FailureKind.PERMANENT))
                    .expectNoDispatchedCommands()
                    .expectPublishedEvents();
        }

        @Test
        void ignoresAFailureReportForALineAlreadyReserved() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED).andThenAPublished(RESERVED1)
                    .whenPublishingA(failed(CheckoutStep.RESERVE_STOCK, P1, 1, FailureKind.PERMANENT))
                    .expectNoDispatchedCommands()
                    .expectPublishedEvents();
        }
    }

    @Nested
    class Approval {

        @Test
        void releasesStockWhenOrderCannotBeApproved() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED).andThenAPublished(RESERVED1)
                    .andThenAPublished(RESERVED2)
                    .andThenAPublished(failed(CheckoutStep.APPROVE_ORDER, null, 1, FailureKind.PERMANENT))
                    .whenPublishingA(new OrderCancelledEvent(ORDER, "APPROVE_ORDER failed"))
                    .expectDispatchedCommands(new ReleaseStockCommand(P1, ORDER), new ReleaseStockCommand(P2, ORDER));
        }

        @Test
        void retriesATransientApprovalFailure() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED).andThenAPublished(RESERVED1)
                    .andThenAPublished(RESERVED2)
                    .andThenAPublished(failed(CheckoutStep.APPROVE_ORDER, null, 1, FailureKind.TRANSIENT))
                    .whenTimeElapses(Duration.ofMillis(200))
                    .expectDispatchedCommands(new ApproveOrderCommand(ORDER, PRICED));
        }

        @Test
        void completesWhenTheApprovalWinsTheRaceWithTheCancellation() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED).andThenAPublished(RESERVED1)
                    .andThenAPublished(RESERVED2)
                    .andThenTimeElapses(Duration.ofSeconds(31)) // approval timed out: cancellation sent
                    .whenPublishingA(new OrderApprovedEvent(ORDER, PRICED, new BigDecimal("15.00")))
                    .expectPublishedEvents(new CheckoutCompletedEvent(CHECKOUT, ORDER, new BigDecimal("15.00")))
                    .expectNoDispatchedCommands()
                    .expectActiveSagas(0);
        }
    }

    @Nested
    class Deadlines {

        @Test
        void compensatesWhenOrderCreationTimesOut() throws Exception {
            String reason = "CREATE_ORDER timed out after 30000 ms";
            fixture.givenAPublished(STARTED)
                    .whenTimeElapses(Duration.ofSeconds(30))
                    .expectPublishedEvents(new CheckoutCompensationStartedEvent(CHECKOUT, CheckoutStep.CREATE_ORDER, CompensationCause.TIMED_OUT,
                            reason))
                    .expectDispatchedCommands(new CancelOrderCommand(ORDER, reason));
        }

        @Test
        void compensatesWhenReservationTimesOut() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED).andThenAPublished(RESERVED1)
                    .whenTimeElapses(Duration.ofSeconds(31))
                    .expectPublishedEvents(new CheckoutCompensationStartedEvent(CHECKOUT, CheckoutStep.RESERVE_STOCK, CompensationCause.TIMED_OUT,
                            "RESERVE_STOCK timed out after 30000 ms (lines: p-1=RESERVED, p-2=PENDING)"));
        }

        @Test
        void releasesEveryLineThatMayHoldStockAfterATimeout() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED).andThenAPublished(RESERVED1)
                    .andThenTimeElapses(Duration.ofSeconds(31))
                    .whenPublishingA(new OrderCancelledEvent(ORDER, "timed out"))
                    .expectDispatchedCommands(new ReleaseStockCommand(P1, ORDER), new ReleaseStockCommand(P2, ORDER));
        }

        @Test
        void restartsTheDeadlineForEachStep() throws Exception {
            fixture.givenAPublished(STARTED)
                    .andThenTimeElapses(Duration.ofSeconds(20))
                    .andThenAPublished(CREATED)
                    .whenTimeElapses(Duration.ofSeconds(20))
                    .expectNoDispatchedCommands()
                    .expectPublishedEvents();
        }

        @Test
        void keepsOneStepDeadlineAtATime() throws Exception {
            // Reserving starts 10 s in: it is due at 40 s, but the deadline armed for 30 s stays the only one.
            fixture.givenAPublished(STARTED)
                    .andThenTimeElapses(Duration.ofSeconds(10))
                    .whenPublishingA(CREATED)
                    .expectScheduledDeadlineWithName(Duration.ofSeconds(20), CheckoutSaga.STEP_DEADLINE)
                    .expectNoScheduledDeadlineWithName(Duration.ofSeconds(30), CheckoutSaga.STEP_DEADLINE);
        }

        @Test
        void aStepStartedAfterTheArmedDeadlineStillGetsItsWholeTimeout() throws Exception {
            fixture.givenAPublished(STARTED)
                    .andThenTimeElapses(Duration.ofSeconds(20))
                    .andThenAPublished(CREATED)
                    .andThenTimeElapses(Duration.ofSeconds(29)) // 49 s: the deadline at 30 s armed the next
                    .whenTimeElapses(Duration.ofSeconds(1))
                    .expectPublishedEvents(new CheckoutCompensationStartedEvent(CHECKOUT, CheckoutStep.RESERVE_STOCK,
                            CompensationCause.TIMED_OUT,
                            "RESERVE_STOCK timed out after 30000 ms (lines: p-1=PENDING, p-2=PENDING)"));
        }

        @Test
        void aCompletedCheckoutLeavesNoDeadlineBehind() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED).andThenAPublished(RESERVED1)
                    .andThenAPublished(RESERVED2)
                    .whenPublishingA(new OrderApprovedEvent(ORDER, PRICED, new BigDecimal("15.00")))
                    .expectActiveSagas(0)
                    .expectNoScheduledDeadlines();
        }

        @Test
        void deadlinesLeftAfterTheEndDoNothing() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED).andThenAPublished(RESERVED1)
                    .andThenAPublished(RESERVED2)
                    .andThenAPublished(new OrderApprovedEvent(ORDER, PRICED, new BigDecimal("15.00")))
                    .whenTimeElapses(Duration.ofMinutes(5))
                    .expectNoDispatchedCommands()
                    .expectPublishedEvents()
                    .expectActiveSagas(0);
        }

        @Test
        void anOperatorRetryRestartsTheStepDeadline() throws Exception {
            fixture.givenAPublished(STARTED)
                    .andThenTimeElapses(Duration.ofSeconds(20))
                    .andThenAPublished(new CheckoutRetryRequestedEvent(CHECKOUT, "ops"))
                    .whenTimeElapses(Duration.ofSeconds(20)) // the first deadline, at 30 s, no longer counts
                    .expectNoDispatchedCommands()
                    .expectPublishedEvents();
        }

        @Test
        void releasesALateReservationThatArrivesAfterCompensation() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED).andThenAPublished(RESERVED1)
                    .andThenTimeElapses(Duration.ofSeconds(31))
                    .andThenAPublished(new OrderCancelledEvent(ORDER, "timed out"))
                    .andThenAPublished(new StockReleasedEvent(P1, ORDER, 2))
                    .whenPublishingA(RESERVED2)
                    .expectDispatchedCommands(new ReleaseStockCommand(P2, ORDER))
                    .expectActiveSagas(1);
        }

        @Test
        void endsWhenAReleaseOvertakesItsLateReservation() throws Exception {
            // The release reached p-2 first; p-2 then rejects the late reserve: nothing is held.
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED).andThenAPublished(RESERVED1)
                    .andThenTimeElapses(Duration.ofSeconds(31))
                    .andThenAPublished(new OrderCancelledEvent(ORDER, "timed out"))
                    .andThenAPublished(new StockReleasedEvent(P1, ORDER, 2))
                    .whenPublishingA(new StockReleasedEvent(P2, ORDER, 0))
                    .expectPublishedEventsMatching(Matchers.payloadsMatching(Matchers.exactSequenceOf(
                            instanceOf(CheckoutFailedEvent.class), Matchers.andNoMore())))
                    .expectActiveSagas(0);
        }
    }

    @Nested
    class CompensationRetries {

        @Test
        void sendsTheCancellationAgainUntilItIsConfirmed() throws Exception {
            String reason = "Product p-1 rejected the reservation: " + NO_STOCK;
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED)
                    .andThenAPublished(new StockReservationRejectedEvent(P1, ORDER, 2, NO_STOCK))
                    .andThenTimeElapses(Duration.ofSeconds(1))
                    .whenTimeElapses(Duration.ofSeconds(2))
                    .expectDispatchedCommands(new CancelOrderCommand(ORDER, reason))
                    .expectScheduledDeadlineMatching(Duration.ofSeconds(4), deadline(3));
        }

        @Test
        void sendsUnconfirmedReleasesAgain() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED).andThenAPublished(RESERVED1)
                    .andThenAPublished(new StockReservationRejectedEvent(P2, ORDER, 1, NO_STOCK))
                    .andThenAPublished(new OrderCancelledEvent(ORDER, "rejected"))
                    .whenTimeElapses(Duration.ofSeconds(1))
                    .expectDispatchedCommands(new ReleaseStockCommand(P1, ORDER));
        }

        @Test
        void backsOffNoFurtherThanTheMaximum() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED)
                    .andThenAPublished(new StockReservationRejectedEvent(P1, ORDER, 2, NO_STOCK))
                    // rounds at 1, 3, 7, 15, 31 and 61 s: from then on every 30 s
                    .whenTimeElapses(Duration.ofSeconds(61))
                    .expectScheduledDeadlineMatching(Duration.ofSeconds(30), deadline(7));
        }

        @Test
        void treatsAReleaseOfAnUnknownProductAsDone() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED).andThenAPublished(RESERVED1)
                    .andThenAPublished(new StockReservationRejectedEvent(P1, ORDER, 2, NO_STOCK))
                    .andThenAPublished(new OrderCancelledEvent(ORDER, "rejected"))
                    .whenPublishingA(failed(CheckoutStep.RELEASE_STOCK, P2, 0, FailureKind.NOT_FOUND))
                    .expectPublishedEventsMatching(Matchers.payloadsMatching(Matchers.exactSequenceOf(
                            instanceOf(CheckoutFailedEvent.class), Matchers.andNoMore())))
                    .expectActiveSagas(0);
        }

        private org.hamcrest.Matcher<? super DeadlineMessage<?>> deadline(int round) {
            return Matchers.messageWithPayload(new CustomTypeSafeMatcher<CheckoutSaga.StepDeadline>(
                    "compensation round " + round) {
                @Override
                protected boolean matchesSafely(CheckoutSaga.StepDeadline deadline) {
                    return deadline.phase() == CheckoutSaga.Phase.COMPENSATING && deadline.round() == round;
                }
            });
        }
    }

    @Nested
    class OperatorActions {

        @Test
        void retrySendsTheCurrentStepAgain() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED).andThenAPublished(RESERVED1)
                    .whenPublishingA(new CheckoutRetryRequestedEvent(CHECKOUT, "ops"))
                    .expectDispatchedCommands(new ReserveStockCommand(P2, ORDER, 1));
        }

        @Test
        void retryWhileCompensatingSendsTheCompensationsAgain() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED)
                    .andThenAPublished(new StockReservationRejectedEvent(P1, ORDER, 2, NO_STOCK))
                    .whenPublishingA(new CheckoutRetryRequestedEvent(CHECKOUT, "ops"))
                    .expectDispatchedCommands(new CancelOrderCommand(ORDER,
                            "Product p-1 rejected the reservation: " + NO_STOCK));
        }

        @Test
        void forcedCompensationCancelsTheOrder() throws Exception {
            String reason = "Compensation forced by ops: customer gave up";
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED)
                    .whenPublishingA(new CheckoutCompensationRequestedEvent(CHECKOUT, "ops", "customer gave up"))
                    .expectPublishedEvents(new CheckoutCompensationStartedEvent(CHECKOUT, CheckoutStep.RESERVE_STOCK,
                            CompensationCause.OPERATOR, reason))
                    .expectDispatchedCommands(new CancelOrderCommand(ORDER, reason));
        }

        @Test
        void forcedCompensationOfACompensatingCheckoutChangesNothing() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED)
                    .andThenAPublished(new StockReservationRejectedEvent(P1, ORDER, 2, NO_STOCK))
                    .whenPublishingA(new CheckoutCompensationRequestedEvent(CHECKOUT, "ops", "again"))
                    .expectNoDispatchedCommands()
                    .expectPublishedEvents();
        }
    }

    @Nested
    class Duplicates {

        @Test
        void duplicateOrderCreatedReservesNothingMore() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED)
                    .whenPublishingA(CREATED)
                    .expectNoDispatchedCommands();
        }

        @Test
        void duplicateReservationDoesNotApproveEarly() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED).andThenAPublished(RESERVED1)
                    .whenPublishingA(RESERVED1)
                    .expectNoDispatchedCommands();
        }

        @Test
        void duplicateRetryDeadlineSendsTheCommandOnce() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED)
                    .andThenAPublished(failed(CheckoutStep.RESERVE_STOCK, P1, 1, FailureKind.TRANSIENT))
                    .andThenAPublished(failed(CheckoutStep.RESERVE_STOCK, P1, 1, FailureKind.TRANSIENT))
                    .whenTimeElapses(Duration.ofMillis(200))
                    .expectDispatchedCommands(new ReserveStockCommand(P1, ORDER, 2));
        }

        @Test
        void duplicateApprovalAfterTheEndChangesNothing() throws Exception {
            fixture.givenAPublished(STARTED).andThenAPublished(CREATED).andThenAPublished(RESERVED1)
                    .andThenAPublished(RESERVED2)
                    .andThenAPublished(new OrderApprovedEvent(ORDER, PRICED, new BigDecimal("15.00")))
                    .whenPublishingA(new OrderApprovedEvent(ORDER, PRICED, new BigDecimal("15.00")))
                    .expectPublishedEvents()
                    .expectActiveSagas(0);
        }

        @Test
        void duplicateCheckoutStartedStartsNoSecondSaga() throws Exception {
            fixture.givenAPublished(STARTED)
                    .whenPublishingA(STARTED)
                    .expectActiveSagas(1);
        }
    }
}
