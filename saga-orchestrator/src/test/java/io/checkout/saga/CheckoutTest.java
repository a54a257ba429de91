package io.checkout.saga;

import io.checkout.shared.checkout.CheckoutId;
import io.checkout.shared.checkout.CheckoutStartedEvent;
import io.checkout.shared.checkout.CheckoutStep;
import io.checkout.shared.checkout.CheckoutStepFailedEvent;
import io.checkout.shared.checkout.FailureKind;
import io.checkout.shared.checkout.RecordCheckoutStepFailureCommand;
import io.checkout.shared.checkout.StartCheckoutCommand;
import io.checkout.shared.checkout.StartNewCheckoutCommand;
import io.checkout.shared.order.CustomerId;
import io.checkout.shared.order.OrderId;
import io.checkout.shared.order.OrderLine;
import io.checkout.shared.product.ProductId;
import java.util.List;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CheckoutTest {

    private static final CheckoutId CHECKOUT = new CheckoutId("k-1");
    private static final OrderId ORDER = new OrderId("o-1");
    private static final CustomerId CUSTOMER = new CustomerId("c-1");
    private static final List<OrderLine> LINES = List.of(new OrderLine(new ProductId("p-1"), 2));
    private static final CheckoutStartedEvent STARTED =
            new CheckoutStartedEvent(CHECKOUT, ORDER, CUSTOMER, LINES, "fingerprint-a");

    private AggregateTestFixture<Checkout> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Checkout.class);
    }

    @Test
    void startsCheckout() {
        fixture.givenNoPriorActivity()
                .when(new StartCheckoutCommand(CHECKOUT, ORDER, CUSTOMER, LINES, "fingerprint-a"))
                .expectResultMessagePayload(true)
                .expectEvents(STARTED);
    }

    @Test
    void startsANewCheckoutWithoutLookingForIt() {
        fixture.givenNoPriorActivity()
                .when(new StartNewCheckoutCommand(new StartCheckoutCommand(CHECKOUT, ORDER, CUSTOMER, LINES,
                        "fingerprint-a")))
                .expectSuccessfulHandlerExecution()
                .expectEvents(STARTED);
    }

    /** Not looked up, so not answered as a repeat: the store refuses a second first event for the id. */
    @Test
    void aNewCheckoutOnAnIdTakenIsRefusedNotMerged() {
        fixture.given(STARTED)
                .when(new StartNewCheckoutCommand(new StartCheckoutCommand(CHECKOUT, ORDER, CUSTOMER, LINES,
                        "fingerprint-a")))
                .expectException(EventStoreException.class)
                .expectNoEvents();
    }

    @Test
    void aNewCheckoutIsValidatedAsAnyOther() {
        fixture.givenNoPriorActivity()
                .when(new StartNewCheckoutCommand(new StartCheckoutCommand(CHECKOUT, ORDER, CUSTOMER, List.of(),
                        "fingerprint-a")))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void sameRequestAgainIsTheSameCheckout() {
        fixture.given(STARTED)
                .when(new StartCheckoutCommand(CHECKOUT, new OrderId("o-other"), CUSTOMER, LINES, "fingerprint-a"))
                .expectResultMessagePayload(false)
                .expectNoEvents();
    }

    @Test
    void rejectsSameIdempotencyKeyWithAnotherBody() {
        fixture.given(STARTED)
                .when(new StartCheckoutCommand(CHECKOUT, new OrderId("o-other"), CUSTOMER, LINES, "fingerprint-b"))
                .expectException(IdempotencyKeyConflictException.class)
                .expectNoEvents();
    }

    @Test
    void rejectsCheckoutWithoutLines() {
        fixture.givenNoPriorActivity()
                .when(new StartCheckoutCommand(CHECKOUT, ORDER, CUSTOMER, List.of(), "fingerprint-a"))
                .expectException(IllegalArgumentException.class);
    }

    @Test
    void recordsStepFailureAsEvent() {
        fixture.given(STARTED)
                .when(new RecordCheckoutStepFailureCommand(CHECKOUT, CheckoutStep.RESERVE_STOCK,
                        new ProductId("p-1"), 2, FailureKind.TRANSIENT, "connection reset"))
                .expectEvents(new CheckoutStepFailedEvent(CHECKOUT, CheckoutStep.RESERVE_STOCK,
                        new ProductId("p-1"), 2, FailureKind.TRANSIENT, "connection reset"));
    }
}
