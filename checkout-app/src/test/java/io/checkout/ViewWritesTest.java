package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.checkout.order.OrderStatus;
import io.checkout.order.query.OrderLineView;
import io.checkout.order.query.OrderView;
import io.checkout.order.query.OrderViewRepository;
import io.checkout.product.query.ProductView;
import io.checkout.product.query.ProductViewRepository;
import io.checkout.product.query.ReservationView;
import io.checkout.product.query.ReservationViewRepository;
import io.checkout.saga.query.CheckoutLineView;
import io.checkout.saga.query.CheckoutRows;
import io.checkout.saga.query.CheckoutStatus;
import io.checkout.saga.query.CheckoutStepRepository;
import io.checkout.saga.query.CheckoutStepView;
import io.checkout.saga.query.CheckoutView;
import io.checkout.saga.query.CheckoutViewRepository;
import io.checkout.saga.query.StepOutcome;
import io.checkout.shared.checkout.CheckoutCompensationStartedEvent;
import io.checkout.shared.checkout.CheckoutCompletedEvent;
import io.checkout.shared.checkout.CheckoutFailedEvent;
import io.checkout.shared.checkout.CheckoutId;
import io.checkout.shared.checkout.CheckoutStartedEvent;
import io.checkout.shared.checkout.CheckoutStep;
import io.checkout.shared.checkout.CompensationCause;
import io.checkout.shared.order.CustomerId;
import io.checkout.shared.order.OrderApprovedEvent;
import io.checkout.shared.order.OrderCancelledEvent;
import io.checkout.shared.order.OrderCreatedEvent;
import io.checkout.shared.order.OrderId;
import io.checkout.shared.order.OrderLine;
import io.checkout.shared.order.PricedLine;
import io.checkout.shared.product.ProductCreatedEvent;
import io.checkout.shared.product.ProductId;
import io.checkout.shared.product.StockReleasedEvent;
import io.checkout.shared.product.StockReservedEvent;
import jakarta.persistence.EntityManagerFactory;
import java.math.BigDecimal;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.TemporalUnitOffset;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.hibernate.boot.beanvalidation.BeanValidationEventListener;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.event.service.spi.EventListenerRegistry;
import org.hibernate.event.spi.EventType;
import org.hibernate.resource.jdbc.spi.StatementInspector;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The subscribing read models write their rows with statements of their own, in the transaction that publishes the
 * event; Hibernate, which the HTTP API reads them with, sends none of those writes (its statements are recorded on the
 * publishing thread; the processors that track the event store run on threads of their own and are not). What they
 * write is read back through the entities, timestamps included.
 */
@SpringBootTest(properties = "spring.jpa.properties.hibernate.session_factory.statement_inspector="
        + "io.checkout.ViewWritesTest$Recorder")
class ViewWritesTest {

    /** An event's time as a {@code timestamp(6)} column keeps it: rounded to the microsecond. */
    private static final TemporalUnitOffset MICRO = within(1, ChronoUnit.MICROS);

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TempDataDir.register(registry, "view-writes-test");
    }

    @Autowired
    EventBus eventBus;
    @Autowired
    PlatformTransactionManager transactionManager;
    @Autowired
    OrderViewRepository orders;
    @Autowired
    CheckoutViewRepository checkouts;
    @Autowired
    CheckoutStepRepository steps;
    @Autowired
    ProductViewRepository products;
    @Autowired
    ReservationViewRepository reservations;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CheckoutRows rows;
    @Autowired
    EntityManagerFactory entityManagerFactory;

    @Test
    void aNewOrderIsWrittenWithItsLinesAndWithoutHibernate() {
        OrderId order = OrderId.random();
        EventMessage<?> created = GenericEventMessage.asEventMessage(new OrderCreatedEvent(order,
                new CustomerId("dora"), List.of(new OrderLine(new ProductId("kettle"), 1),
                        new OrderLine(new ProductId("mug"), 2))));

        assertThat(publish(created)).isEmpty();

        OrderView view = orders.findById(order.value()).orElseThrow();
        assertThat(view.getStatus()).isEqualTo(OrderStatus.PENDING);
        assertThat(view.getCustomerId()).isEqualTo("dora");
        assertThat(view.getCreatedAt()).isEqualTo(view.getUpdatedAt()).isCloseTo(created.getTimestamp(), MICRO);
        assertThat(view.getLines()).extracting(OrderLineView::getProductId, OrderLineView::getQuantity,
                OrderLineView::getUnitPrice).containsExactly(tuple("kettle", 1, null), tuple("mug", 2, null));
    }

    @Test
    void anApprovedOrderPricesItsLinesInPlace() {
        OrderId order = OrderId.random();
        publish(GenericEventMessage.asEventMessage(new OrderCreatedEvent(order, new CustomerId("dora"),
                List.of(new OrderLine(new ProductId("kettle"), 1), new OrderLine(new ProductId("mug"), 2)))));

        assertThat(publish(GenericEventMessage.asEventMessage(new OrderApprovedEvent(order, List.of(
                new PricedLine(new ProductId("kettle"), 1, new BigDecimal("24.50")),
                new PricedLine(new ProductId("mug"), 2, new BigDecimal("6.25"))), new BigDecimal("37.00")))))
                .isEmpty();

        OrderView view = orders.findById(order.value()).orElseThrow();
        assertThat(view.getStatus()).isEqualTo(OrderStatus.APPROVED);
        assertThat(view.getTotal()).isEqualByComparingTo("37.00");
        assertThat(view.getLines()).extracting(OrderLineView::getProductId, OrderLineView::getUnitPrice)
                .containsExactly(tuple("kettle", new BigDecimal("24.50")), tuple("mug", new BigDecimal("6.25")));
        assertThat(jdbc.queryForObject("select count(*) from order_view_line where order_id = ?", Integer.class,
                order.value())).isEqualTo(2);
    }

    @Test
    void anOrderCancelledBeforeItWasCreatedIsInsertedCancelled() {
        OrderId order = OrderId.random();
        publish(GenericEventMessage.asEventMessage(new OrderCancelledEvent(order, "the checkout timed out")));

        OrderView cancelled = orders.findById(order.value()).orElseThrow();
        assertThat(cancelled.getStatus()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(cancelled.getReason()).isEqualTo("the checkout timed out");
        assertThat(cancelled.getLines()).isEmpty();
    }

    @Test
    void aCheckoutIsWrittenWithItsLinesAndTimelineAndEndsWithoutHibernate() {
        CheckoutId checkout = CheckoutId.random();
        OrderId order = OrderId.random();
        EventMessage<?> started = GenericEventMessage.asEventMessage(new CheckoutStartedEvent(checkout, order,
                new CustomerId("dora"), List.of(new OrderLine(new ProductId("kettle"), 1),
                        new OrderLine(new ProductId("mug"), 3)), "fingerprint"));
        assertThat(publish(started)).isEmpty();

        CheckoutView running = checkouts.findById(checkout.value()).orElseThrow();
        assertThat(running.getStatus()).isEqualTo(CheckoutStatus.RUNNING);
        assertThat(running.getOrderId()).isEqualTo(order.value());
        assertThat(running.getCreatedAt()).isCloseTo(started.getTimestamp(), MICRO);
        assertThat(running.getLines()).extracting(CheckoutLineView::getProductId, CheckoutLineView::getQuantity)
                .containsExactly(tuple("kettle", 1), tuple("mug", 3));

        publish(GenericEventMessage.asEventMessage(new CheckoutCompensationStartedEvent(checkout,
                CheckoutStep.RESERVE_STOCK, CompensationCause.REJECTED, "not enough mugs")));
        EventMessage<?> failed = GenericEventMessage.asEventMessage(new CheckoutFailedEvent(checkout, order,
                CheckoutStep.RESERVE_STOCK, CompensationCause.REJECTED, "not enough mugs"));
        assertThat(publish(failed)).isEmpty();

        CheckoutView ended = checkouts.findById(checkout.value()).orElseThrow();
        assertThat(ended.getStatus()).isEqualTo(CheckoutStatus.FAILED);
        assertThat(ended.getFailedStep()).isEqualTo("RESERVE_STOCK");
        assertThat(ended.getReason()).isEqualTo("not enough mugs");
        assertThat(ended.getEndedAt()).isCloseTo(failed.getTimestamp(), MICRO);
        // The checkout's own rows (the saga that the start event began adds the commands it sends): the start and
        // the end are no rows of their own, the checkout's row says the same.
        assertThat(steps.findAll(Sort.by("id"))).filteredOn(step -> step.getCheckoutId().equals(checkout.value())
                        && step.getStep().equals("CHECKOUT"))
                .extracting(CheckoutStepView::getStep,
                CheckoutStepView::getOutcome, CheckoutStepView::getProductId, CheckoutStepView::getAttempt)
                .containsExactly(tuple("CHECKOUT", StepOutcome.COMPENSATING, null, null));
        // The timeline as read has them, made from that row, first and last, at the events' times.
        List<CheckoutStepView> timeline = rows.timelineOf(ended);
        assertThat(timeline).filteredOn(step -> step.getStep().equals("CHECKOUT"))
                .extracting(CheckoutStepView::getOutcome, CheckoutStepView::getDetail)
                .containsExactly(tuple(StepOutcome.STARTED, "2 lines: kettle x 1, mug x 3"),
                        tuple(StepOutcome.COMPENSATING, "not enough mugs"),
                        tuple(StepOutcome.COMPENSATED,
                                "order " + order + " cancelled, no stock held: not enough mugs"));
        assertThat(timeline.get(0).getAt()).isEqualTo(ended.getCreatedAt()).isCloseTo(started.getTimestamp(), MICRO);
        assertThat(timeline.get(timeline.size() - 1).getAt()).isEqualTo(ended.getEndedAt());
    }

    @Test
    void aCompletedCheckoutsTimelineEndsWithItsTotalAndRowsMadeBeforeAreNotDoubled() {
        CheckoutId checkout = CheckoutId.random();
        OrderId order = OrderId.random();
        EventMessage<?> started = GenericEventMessage.asEventMessage(new CheckoutStartedEvent(checkout, order,
                new CustomerId("dora"), List.of(new OrderLine(new ProductId("kettle"), 1)), "fingerprint"));
        publish(started);
        EventMessage<?> completed = GenericEventMessage.asEventMessage(new CheckoutCompletedEvent(checkout, order,
                new BigDecimal("24.50")));
        assertThat(publish(completed)).isEmpty();
        // A database made before this build holds the start and the end as rows too.
        for (String outcome : List.of("STARTED", "COMPLETED")) {
            jdbc.update("insert into checkout_step (checkout_id, at, step, outcome, detail) values (?, ?, ?, ?, ?)",
                    checkout.value(), java.sql.Timestamp.from(started.getTimestamp()), "CHECKOUT", outcome,
                    "a row of an older build");
        }

        CheckoutView view = checkouts.findById(checkout.value()).orElseThrow();
        List<CheckoutStepView> timeline = rows.timelineOf(view);
        assertThat(timeline).filteredOn(step -> step.getStep().equals("CHECKOUT"))
                .extracting(CheckoutStepView::getOutcome, CheckoutStepView::getDetail)
                .containsExactly(tuple(StepOutcome.STARTED, "1 line: kettle x 1"),
                        tuple(StepOutcome.COMPLETED, "order " + order + " approved, total 24.50"));
        assertThat(timeline.get(timeline.size() - 1).getAt()).isCloseTo(completed.getTimestamp(), MICRO);
        // Each read gives its connection back: more reads than the pool has connections (a stream of the rows left
        // open held one each, and the 21st read waited for the pool's 30 s and failed).
        for (int i = 0; i < 50; i++) {
            assertThat(rows.timelineOf(view)).filteredOn(step -> step.getStep().equals("CHECKOUT"))
                    .extracting(CheckoutStepView::getOutcome)
                    .containsExactly(StepOutcome.STARTED, StepOutcome.COMPLETED);
        }
    }

    @Test
    void aProductsCountsAndClaimsChangeWithoutHibernate() {
        ProductId product = aProductOfTen();
        OrderId order = OrderId.random();

        EventMessage<?> reserved = threeReserved(product, order);
        assertThat(publish(reserved)).isEmpty();
        assertThat(products.findById(product.value()).orElseThrow())
                .extracting(ProductView::getStock, ProductView::getReserved, ProductView::getInitialStock)
                .containsExactly(7, 3, 10);
        assertThat(reservations.findByProductIdOrderByUpdatedAtAsc(product.value()))
                .extracting(ReservationView::getOrderId, ReservationView::getState, ReservationView::getQuantity)
                .containsExactly(tuple(order.value(), ReservationView.State.RESERVED, 3));
        assertThat(reservations.findByProductIdOrderByUpdatedAtAsc(product.value()).get(0).getUpdatedAt())
                .isCloseTo(reserved.getTimestamp(), MICRO);

        assertThat(publish(GenericEventMessage.asEventMessage(new StockReleasedEvent(product, order, 3)))).isEmpty();
        assertThat(products.findById(product.value()).orElseThrow())
                .extracting(ProductView::getStock, ProductView::getReserved).containsExactly(10, 0);
        assertThat(reservations.findByProductIdOrderByUpdatedAtAsc(product.value()))
                .extracting(ReservationView::getOrderId, ReservationView::getState, ReservationView::getQuantity)
                .containsExactly(tuple(order.value(), ReservationView.State.RELEASED, 0));
    }

    @Test
    void theViewsRowsAndTheEventRollBackWithTheTransactionThatPublishedIt() {
        ProductId product = aProductOfTen();
        EventMessage<?> reserved = threeReserved(product, OrderId.random());

        // The statements join the transaction the application's transaction manager runs, as a command's does: the
        // event store's append and the views' writes commit together or not at all.
        assertThatThrownBy(() -> new TransactionTemplate(transactionManager).executeWithoutResult(tx -> {
            eventBus.publish(reserved);
            throw new IllegalStateException("the command fails after its events were handled");
        })).hasMessageContaining("the command fails");

        assertThat(products.findById(product.value()).orElseThrow())
                .extracting(ProductView::getStock, ProductView::getReserved).containsExactly(10, 0);
        assertThat(reservations.findByProductIdOrderByUpdatedAtAsc(product.value())).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from domain_event_entry where event_identifier = ?",
                Integer.class, reserved.getIdentifier())).isZero();
    }

    @Test
    void theLinesAndTheReservationsAreWrittenIntoTheirPrimaryKeysAlone() {
        // Each index of a table is another B-tree that every insert writes, and H2 writes again in every chunk.
        List<String> indexes = jdbc.queryForList("select table_name || ' ' || index_type_name from "
                + "information_schema.indexes where table_name in ('CHECKOUT_VIEW_LINE', 'ORDER_VIEW_LINE', "
                + "'PRODUCT_RESERVATION') order by table_name", String.class);

        assertThat(indexes).containsExactly("CHECKOUT_VIEW_LINE PRIMARY KEY", "ORDER_VIEW_LINE PRIMARY KEY",
                "PRODUCT_RESERVATION PRIMARY KEY");
    }

    @Test
    void theDeadlinesTableHasOnlyTheIndexItsPollReads() {
        // Every checkout inserts a deadline and deletes it: db-scheduler's other two indexes were four more B-tree
        // entries a checkout, for a search among a few picked rows and for priorities, which are off.
        List<String> indexes = jdbc.queryForList("select index_type_name || ' ' || index_name from "
                + "information_schema.indexes where table_name = 'SCHEDULED_TASKS' order by index_name", String.class);

        assertThat(indexes).hasSize(2).contains("INDEX EXECUTION_TIME_IDX")
                .anyMatch(index -> index.startsWith("PRIMARY KEY"));
    }

    @Test
    void hibernateAsksNoValidatorAboutTheEntitiesItWrites() {
        // jakarta.persistence.validation.mode: none. With auto, Hibernate registers its Bean Validation listener
        // for every insert, update and delete, as a validator is on the class path (the controllers use it).
        EventListenerRegistry listeners = entityManagerFactory.unwrap(SessionFactoryImplementor.class)
                .getServiceRegistry().requireService(EventListenerRegistry.class);

        for (EventType<?> type : List.of(EventType.PRE_INSERT, EventType.PRE_UPDATE, EventType.PRE_DELETE)) {
            assertThat(listeners.getEventListenerGroup(type).listeners())
                    .noneMatch(listener -> listener instanceof BeanValidationEventListener);
        }
    }

    /** A product made with 10 in stock, its view written. */
    private ProductId aProductOfTen() {
        ProductId product = ProductId.random();
        publish(GenericEventMessage.asEventMessage(new ProductCreatedEvent(product, "Kettle",
                new BigDecimal("24.50"), 10)));
        return product;
    }

    private static EventMessage<?> threeReserved(ProductId product, OrderId order) {
        return GenericEventMessage.asEventMessage(new StockReservedEvent(product, order, 3, new BigDecimal("24.50")));
    }

    /** Publishes the event in a transaction; Hibernate's statements on this thread meanwhile. */
    private List<String> publish(EventMessage<?> event) {
        Recorder.start();
        try {
            new TransactionTemplate(transactionManager).executeWithoutResult(tx -> eventBus.publish(event));
            return Recorder.recorded();
        } finally {
            Recorder.stop();
        }
    }

    /** Hibernate's statements, as it prepares them, on a thread that asked for them. */
    public static class Recorder implements StatementInspector {

        private static final ThreadLocal<List<String>> RECORDED = new ThreadLocal<>();

        static void start() {
            RECORDED.set(new ArrayList<>());
        }

        static List<String> recorded() {
            return List.copyOf(RECORDED.get());
        }

        static void stop() {
            RECORDED.remove();
        }

        @Override
        public String inspect(String sql) {
            List<String> recorded = RECORDED.get();
            if (recorded != null) {
                recorded.add(sql);
            }
            return sql;
        }
    }
}
