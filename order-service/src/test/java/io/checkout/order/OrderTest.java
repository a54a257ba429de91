package io.checkout.order;

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
import java.math.BigDecimal;
import java.util.List;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OrderTest {

    private static final OrderId ORDER = new OrderId("o-1");
    private static final CustomerId CUSTOMER = new CustomerId("c-1");
    private static final ProductId P1 = new ProductId("p-1");
    private static final ProductId P2 = new ProductId("p-2");
    private static final List<OrderLine> LINES = List.of(new OrderLine(P1, 2), new OrderLine(P2, 1));
    private static final List<PricedLine> PRICED = List.of(new PricedLine(P1, 2, new BigDecimal("1.50")),
            new PricedLine(P2, 1, new BigDecimal("10.00")));
    private static final OrderCreatedEvent CREATED = new OrderCreatedEvent(ORDER, CUSTOMER, LINES);

    private AggregateTestFixture<Order> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Order.class);
    }

    @Test
    void createsPendingOrder() {
        fixture.givenNoPriorActivity()
                .when(new CreateOrderCommand(ORDER, CUSTOMER, LINES))
                .expectEvents(CREATED);
    }

    /** The saga's first attempt: the order id was made with the checkout, so the order is not looked for. */
    @Test
    void createsANewOrderWithoutLookingForIt() {
        fixture.givenNoPriorActivity()
                .when(asNew(new CreateOrderCommand(ORDER, CUSTOMER, LINES)))
                .expectSuccessfulHandlerExecution()
                .expectEvents(CREATED);
    }

    /** Not looked up, so not answered as a repeat: the store refuses a second first event for the id. */
    @Test
    void aNewOrderOnAnIdTakenIsRefusedNotMerged() {
        fixture.given(new OrderCancelledEvent(ORDER, "timed out"))
                .when(asNew(new CreateOrderCommand(ORDER, CUSTOMER, LINES)))
                .expectException(EventStoreException.class)
                .expectNoEvents();
    }

    @Test
    void aNewOrderIsValidatedAsAnyOther() {
        fixture.givenNoPriorActivity()
                .when(asNew(new CreateOrderCommand(ORDER, CUSTOMER, List.of())))
                .expectException(IllegalArgumentException.class)
                .expectExceptionMessage("An order needs at least one line");
        fixture.givenNoPriorActivity()
                .when(asNew(new CreateOrderCommand(ORDER, null, LINES)))
                .expectException(IllegalArgumentException.class)
                .expectExceptionMessage("An order needs a customer");
    }

    private static CommandMessage<CreateOrderCommand> asNew(CreateOrderCommand command) {
        return new GenericCommandMessage<>(new GenericMessage<>(command), CreateOrderCommand.NEW);
    }

    @Test
    void duplicateCreateChangesNothing() {
        fixture.given(CREATED)
                .when(new CreateOrderCommand(ORDER, CUSTOMER, LINES))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void rejectsOrderWithoutLines() {
        fixture.givenNoPriorActivity()
                .when(new CreateOrderCommand(ORDER, CUSTOMER, List.of()))
                .expectException(IllegalArgumentException.class)
                .expectExceptionMessage("An order needs at least one line");
    }

    @Test
    void rejectsOrderNamingAProductTwice() {
        fixture.givenNoPriorActivity()
                .when(new CreateOrderCommand(ORDER, CUSTOMER, List.of(new OrderLine(P1, 1), new OrderLine(P1, 2))))
                .expectException(IllegalArgumentException.class);
    }

    @Test
    void approvesPendingOrderWithItsTotal() {
        fixture.given(CREATED)
                .when(new ApproveOrderCommand(ORDER, PRICED))
                .expectEvents(new OrderApprovedEvent(ORDER, PRICED, new BigDecimal("13.00")));
    }

    @Test
    void duplicateApprovalChangesNothing() {
        fixture.given(CREATED, new OrderApprovedEvent(ORDER, PRICED, new BigDecimal("13.00")))
                .when(new ApproveOrderCommand(ORDER, PRICED))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void rejectsApprovalThatMissesALine() {
        fixture.given(CREATED)
                .when(new ApproveOrderCommand(ORDER, PRICED.subList(0, 1)))
                .expectException(IllegalArgumentException.class);
    }

    @Test
    void rejectsApprovalOfCancelledOrder() {
        fixture.given(CREATED, new OrderCancelledEvent(ORDER, "out of stock"))
                .when(new ApproveOrderCommand(ORDER, PRICED))
                .expectException(IllegalStateException.class)
                .expectExceptionMessage("A cancelled order cannot be approved");
    }

    @Test
    void cancelsPendingOrderWithReason() {
        fixture.given(CREATED)
                .when(new CancelOrderCommand(ORDER, "out of stock"))
                .expectEvents(new OrderCancelledEvent(ORDER, "out of stock"));
    }

    @Test
    void duplicateCancelChangesNothing() {
        fixture.given(CREATED, new OrderCancelledEvent(ORDER, "out of stock"))
                .when(new CancelOrderCommand(ORDER, "again"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void rejectsCancellationOfApprovedOrder() {
        fixture.given(CREATED, new OrderApprovedEvent(ORDER, PRICED, new BigDecimal("13.00")))
                .when(new CancelOrderCommand(ORDER, "too late"))
                .expectException(IllegalStateException.class)
                .expectExceptionMessage("An approved order cannot be cancelled");
    }

    @Test
    void cancelBeforeCreateLeavesCancelledOrder() {
        fixture.givenNoPriorActivity()
                .when(new CancelOrderCommand(ORDER, "create order timed out"))
                .expectEvents(new OrderCancelledEvent(ORDER, "create order timed out"));
    }

    @Test
    void lateCreateCannotReviveCancelledOrder() {
        fixture.given(new OrderCancelledEvent(ORDER, "create order timed out"))
                .when(new CreateOrderCommand(ORDER, CUSTOMER, LINES))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }
}
