package io.checkout.product;

import io.checkout.shared.order.OrderId;
import io.checkout.shared.product.CreateProductCommand;
import io.checkout.shared.product.ProductCreatedEvent;
import io.checkout.shared.product.ProductId;
import io.checkout.shared.product.ProductRestockedEvent;
import io.checkout.shared.product.ReleaseStockCommand;
import io.checkout.shared.product.ReserveStockCommand;
import io.checkout.shared.product.RestockProductCommand;
import io.checkout.shared.product.StockReleasedEvent;
import io.checkout.shared.product.StockReservationRejectedEvent;
import io.checkout.shared.product.StockReservedEvent;
import java.math.BigDecimal;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProductTest {

    private static final ProductId PRODUCT = new ProductId("p-1");
    private static final OrderId ORDER = new OrderId("o-1");
    private static final BigDecimal PRICE = new BigDecimal("9.99");
    private static final ProductCreatedEvent CREATED = new ProductCreatedEvent(PRODUCT, "Widget", PRICE, 5);

    private AggregateTestFixture<Product> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Product.class);
    }

    @Test
    void createsProductWithStock() {
        fixture.givenNoPriorActivity()
                .when(new CreateProductCommand(PRODUCT, "Widget", PRICE, 5))
                .expectSuccessfulHandlerExecution()
                .expectEvents(CREATED);
    }

    @Test
    void rejectsProductWithNegativePrice() {
        fixture.givenNoPriorActivity()
                .when(new CreateProductCommand(PRODUCT, "Widget", new BigDecimal("-1"), 5))
                .expectException(IllegalArgumentException.class)
                .expectExceptionMessage("A product's price cannot be negative");
    }

    @Test
    void rejectsProductWithoutName() {
        fixture.givenNoPriorActivity()
                .when(new CreateProductCommand(PRODUCT, " ", PRICE, 5))
                .expectException(IllegalArgumentException.class);
    }

    @Test
    void reservesStockForAnOrderAtTheCurrentPrice() {
        fixture.given(CREATED)
                .when(new ReserveStockCommand(PRODUCT, ORDER, 3))
                .expectEvents(new StockReservedEvent(PRODUCT, ORDER, 3, PRICE));
    }

    @Test
    void reservesTheLastUnits() {
        fixture.given(CREATED)
                .when(new ReserveStockCommand(PRODUCT, ORDER, 5))
                .expectEvents(new StockReservedEvent(PRODUCT, ORDER, 5, PRICE));
    }

    @Test
    void rejectsReservationBeyondAvailableStock() {
        fixture.given(CREATED, new StockReservedEvent(PRODUCT, new OrderId("o-0"), 4, PRICE))
                .when(new ReserveStockCommand(PRODUCT, ORDER, 2))
                .expectEvents(new StockReservationRejectedEvent(PRODUCT, ORDER, 2,
                        "Not enough stock: 1 available, 2 requested"));
    }

    @Test
    void duplicateReserveReservesNothingMore() {
        fixture.given(CREATED, new StockReservedEvent(PRODUCT, ORDER, 3, PRICE))
                .when(new ReserveStockCommand(PRODUCT, ORDER, 3))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void repeatedReserveAfterRejectionStaysRejected() {
        fixture.given(CREATED, new StockReservationRejectedEvent(PRODUCT, ORDER, 9, "Not enough stock"),
                        new ProductRestockedEvent(PRODUCT, 10))
                .when(new ReserveStockCommand(PRODUCT, ORDER, 9))
                .expectNoEvents();
    }

    @Test
    void rejectsReservationOfNoUnits() {
        fixture.given(CREATED)
                .when(new ReserveStockCommand(PRODUCT, ORDER, 0))
                .expectException(IllegalArgumentException.class);
    }

    @Test
    void releasesWhatTheOrderHolds() {
        fixture.given(CREATED, new StockReservedEvent(PRODUCT, ORDER, 3, PRICE))
                .when(new ReleaseStockCommand(PRODUCT, ORDER))
                .expectEvents(new StockReleasedEvent(PRODUCT, ORDER, 3));
    }

    @Test
    void releasedStockCanBeReservedAgainByAnotherOrder() {
        fixture.given(CREATED, new StockReservedEvent(PRODUCT, ORDER, 5, PRICE),
                        new StockReleasedEvent(PRODUCT, ORDER, 5))
                .when(new ReserveStockCommand(PRODUCT, new OrderId("o-2"), 5))
                .expectEvents(new StockReservedEvent(PRODUCT, new OrderId("o-2"), 5, PRICE));
    }

    @Test
    void duplicateReleaseReleasesNothingMore() {
        fixture.given(CREATED, new StockReservedEvent(PRODUCT, ORDER, 3, PRICE),
                        new StockReleasedEvent(PRODUCT, ORDER, 3))
                .when(new ReleaseStockCommand(PRODUCT, ORDER))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void releaseBeforeReserveIsRemembered() {
        fixture.given(CREATED)
                .when(new ReleaseStockCommand(PRODUCT, ORDER))
                .expectEvents(new StockReleasedEvent(PRODUCT, ORDER, 0));
    }

    @Test
    void rejectsReserveThatArrivesAfterItsRelease() {
        fixture.given(CREATED, new StockReleasedEvent(PRODUCT, ORDER, 0))
                .when(new ReserveStockCommand(PRODUCT, ORDER, 2))
                .expectEvents(new StockReservationRejectedEvent(PRODUCT, ORDER, 2,
                        "Order o-1 was already released"));
    }

    @Test
    void releaseOfARejectedReservationChangesNothing() {
        fixture.given(CREATED, new StockReservationRejectedEvent(PRODUCT, ORDER, 9, "Not enough stock"))
                .when(new ReleaseStockCommand(PRODUCT, ORDER))
                .expectNoEvents();
    }

    @Test
    void restockAddsUnits() {
        fixture.given(CREATED, new StockReservedEvent(PRODUCT, ORDER, 5, PRICE), new ProductRestockedEvent(PRODUCT, 2))
                .when(new ReserveStockCommand(PRODUCT, new OrderId("o-2"), 2))
                .expectEvents(new StockReservedEvent(PRODUCT, new OrderId("o-2"), 2, PRICE));
    }

    @Test
    void rejectsRestockOfNoUnits() {
        fixture.given(CREATED)
                .when(new RestockProductCommand(PRODUCT, 0))
                .expectException(IllegalArgumentException.class)
                .expectExceptionMessage("A restock must add at least one unit");
    }
}
