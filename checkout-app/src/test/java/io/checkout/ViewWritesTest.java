package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.checkout.order.OrderStatus;
import io.checkout.order.query.OrderView;
import io.checkout.order.query.OrderViewRepository;
import io.checkout.shared.checkout.CheckoutId;
import io.checkout.shared.checkout.CheckoutStartedEvent;
import io.checkout.shared.order.CustomerId;
import io.checkout.shared.order.OrderApprovedEvent;
import io.checkout.shared.order.OrderCancelledEvent;
import io.checkout.shared.order.OrderCreatedEvent;
import io.checkout.shared.order.OrderId;
import io.checkout.shared.order.OrderLine;
import io.checkout.shared.order.PricedLine;
import io.checkout.shared.product.ProductId;
import io.checkout.shared.product.StockReservedEvent;
import jakarta.persistence.EntityManagerFactory;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.GenericEventMessage;
import org.hibernate.boot.beanvalidation.BeanValidationEventListener;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.event.service.spi.EventListenerRegistry;
import org.hibernate.event.spi.EventType;
import org.hibernate.resource.jdbc.spi.StatementInspector;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The subscribing read models write a view they make with an insert alone, and an approved order's priced lines
 * over its rows: the statements Hibernate sends for each event, in the transaction that publishes it, are recorded
 * on the publishing thread (the processors that track the event store run on threads of their own and are not).
 */
@SpringBootTest(properties = "spring.jpa.properties.hibernate.session_factory.statement_inspector="
        + "io.checkout.ViewWritesTest$Recorder")
class ViewWritesTest {

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
    JdbcTemplate jdbc;
    @Autowired
    EntityManagerFactory entityManagerFactory;

    @Test
    void aNewOrderViewIsInsertedWithoutASelect() {
        OrderId order = OrderId.random();
        List<String> sql = publish(new OrderCreatedEvent(order, new CustomerId("dora"),
                List.of(new OrderLine(new ProductId("kettle"), 1), new OrderLine(new ProductId("mug"), 2))));

        assertThat(sql).anyMatch(s -> s.startsWith("insert into order_view "))
                .filteredOn(s -> s.startsWith("insert into order_view_line ")).hasSize(2);
        assertThat(sql).noneMatch(s -> s.startsWith("select") && s.contains(" from order_view "));
    }

    @Test
    void anApprovedOrderPricesItsLinesInPlace() {
        OrderId order = OrderId.random();
        publish(new OrderCreatedEvent(order, new CustomerId("dora"),
                List.of(new OrderLine(new ProductId("kettle"), 1), new OrderLine(new ProductId("mug"), 2))));

        List<String> sql = publish(new OrderApprovedEvent(order, List.of(
                new PricedLine(new ProductId("kettle"), 1, new BigDecimal("24.50")),
                new PricedLine(new ProductId("mug"), 2, new BigDecimal("6.25"))), new BigDecimal("37.00")));

        assertThat(sql).filteredOn(s -> s.startsWith("update order_view_line ")).hasSize(2);
        assertThat(sql).noneMatch(s -> s.startsWith("delete from order_view_line"))
                .noneMatch(s -> s.startsWith("insert into order_view_line"));
    }

    @Test
    void anOrderCancelledBeforeItWasCreatedIsInsertedCancelled() {
        OrderId order = OrderId.random();
        List<String> sql = publish(new OrderCancelledEvent(order, "the checkout timed out"));

        assertThat(sql).anyMatch(s -> s.startsWith("insert into order_view "));
        OrderView cancelled = orders.findById(order.value()).orElseThrow();
        assertThat(cancelled.getStatus()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(cancelled.getReason()).isEqualTo("the checkout timed out");
        assertThat(cancelled.getLines()).isEmpty();
    }

    @Test
    void aNewCheckoutViewIsInsertedWithoutASelect() {
        List<String> sql = publish(new CheckoutStartedEvent(CheckoutId.random(), OrderId.random(),
                new CustomerId("dora"), List.of(new OrderLine(new ProductId("kettle"), 1)), "fingerprint"));

        assertThat(sql).anyMatch(s -> s.startsWith("insert into checkout_view "))
                .noneMatch(s -> s.startsWith("select") && s.contains(" from checkout_view "));
    }

    @Test
    void aNewReservationIsLookedUpOnceAndInserted() {
        List<String> sql = publish(new StockReservedEvent(ProductId.random(),
                OrderId.random(), 2, new BigDecimal("24.50")));

        assertThat(sql).anyMatch(s -> s.startsWith("insert into product_reservation "))
                .filteredOn(s -> s.startsWith("select") && s.contains(" from product_reservation ")).hasSize(1);
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

    private List<String> publish(Object event) {
        Recorder.start();
        try {
            new TransactionTemplate(transactionManager).executeWithoutResult(
                    tx -> eventBus.publish(GenericEventMessage.asEventMessage(event)));
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
