package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.checkout.shared.order.OrderId;
import io.checkout.shared.product.CreateProductCommand;
import io.checkout.shared.product.ProductId;
import io.checkout.shared.product.ReserveStockCommand;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Snapshots are taken of the aggregate a command holds as its unit of work commits (UnitOfWorkSnapshotter), not
 * rebuilt from the store: each holds the state of exactly the events up to its sequence number, a product loaded from
 * one behaves as the one that wrote it, and a command that rolls back takes its snapshot with it.
 */
@SpringBootTest(properties = "checkout.aggregates.snapshot-every=3")
class UnitOfWorkSnapshotsTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TempDataDir.register(registry, "unit-of-work-snapshots-test");
    }

    @Autowired
    CommandGateway commands;
    @Autowired
    CommandBus commandBus;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;
    @Autowired
    @Qualifier("aggregateCache")
    Cache aggregateCache;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aSnapshotHoldsTheStateOfItsEventsAndALoadFromItBehavesTheSame() throws IOException {
        double fromStore = count("store");
        double fromUnitOfWork = count("unit-of-work");
        ProductId product = new ProductId("snapshot-" + UUID.randomUUID());
        commands.sendAndWait(new CreateProductCommand(product, "Kettle", new BigDecimal("20.00"), 100));
        int reserved = 0;
        int orders = 0;
        // Reserves until the last snapshot is of the last event, after at least two snapshots (every 3 events, that
        // takes at most 6 reserves; 12 bounds the loop should no snapshot come).
        while (orders < 12 && (orders < 4 || snapshotSequence(product) != lastSequence(product))) {
            orders++;
            commands.sendAndWait(new ReserveStockCommand(product, new OrderId("order-" + orders), orders));
            reserved += orders;
        }
        assertThat(snapshotSequence(product)).as("the last snapshot is of the last event").isEqualTo(lastSequence(product));

        assertThat(count("unit-of-work") - fromUnitOfWork).isGreaterThanOrEqualTo(2);
        assertThat(count("store")).isEqualTo(fromStore);
        JsonNode state = snapshotState(product);
        assertThat(state.path("available").asInt()).isEqualTo(100 - reserved);
        assertThat(state.path("claims").size()).isEqualTo(orders);
        assertThat(state.path("claims").path("order-1").path("state").asText()).isEqualTo("RESERVED");

        // Loaded from the snapshot alone: the last units are reservable, one more is not, and a repeat holds nothing.
        aggregateCache.removeAll();
        int available = 100 - reserved;
        commands.sendAndWait(new ReserveStockCommand(product, new OrderId("order-1"), 1));
        commands.sendAndWait(new ReserveStockCommand(product, new OrderId("the-last-units"), available));
        commands.sendAndWait(new ReserveStockCommand(product, new OrderId("one-too-many"), 1));
        assertThat(payloadTypesAfter(product, lastSequence(product) - 2)).containsExactly(
                "io.checkout.shared.product.StockReservedEvent",
                "io.checkout.shared.product.StockReservationRejectedEvent");
    }

    @Test
    void aCommandThatRollsBackTakesItsSnapshotWithIt() throws IOException {
        ProductId product = new ProductId("rolled-back-" + UUID.randomUUID());
        commands.sendAndWait(new CreateProductCommand(product, "Teapot", new BigDecimal("8.00"), 50));
        double taken = count("unit-of-work");
        // A reserve whose commit fails after its handler, and so after the snapshot its trigger may have asked for;
        // between two, a reserve that commits moves the product on, until a failing one was due for a snapshot.
        for (int i = 0; i < 10 && count("unit-of-work") == taken; i++) {
            long snapshotBefore = snapshotSequence(product);
            JsonNode stateBefore = snapshotBefore < 0 ? null : snapshotState(product);
            long eventsBefore = lastSequence(product);
            Registration failing = commandBus.registerHandlerInterceptor((unitOfWork, chain) -> {
                Object result = chain.proceed();
                unitOfWork.onPrepareCommit(u -> {
                    throw new IllegalStateException("the commit fails");
                });
                return result;
            });
            try {
                OrderId order = new OrderId("failing-" + i);
                assertThatThrownBy(() -> commands.sendAndWait(new ReserveStockCommand(product, order, 1)))
                        .hasMessageContaining("the commit fails");
            } finally {
                failing.cancel();
            }
            if (count("unit-of-work") > taken) {
                assertThat(snapshotSequence(product)).isEqualTo(snapshotBefore);
                if (stateBefore != null) {
                    assertThat(snapshotState(product)).isEqualTo(stateBefore);
                }
                assertThat(lastSequence(product)).isEqualTo(eventsBefore);
            } else {
                commands.sendAndWait(new ReserveStockCommand(product, new OrderId("committed-" + i), 1));
            }
        }

        assertThat(count("unit-of-work")).as("a failing command was due for a snapshot").isGreaterThan(taken);
    }

    private double count(String source) {
        return meters.get("checkout.aggregates.snapshots").tag("source", source).counter().count();
    }

    private long snapshotSequence(ProductId product) {
        Long sequence = jdbc.queryForObject(
                "select max(sequence_number) from snapshot_event_entry where aggregate_identifier = ?", Long.class,
                product.value());
        return sequence == null ? -1 : sequence;
    }

    private long lastSequence(ProductId product) {
        return jdbc.queryForObject("select max(sequence_number) from domain_event_entry where aggregate_identifier = ?",
                Long.class, product.value());
    }

    private JsonNode snapshotState(ProductId product) throws IOException {
        byte[] payload = jdbc.queryForObject("select payload from snapshot_event_entry where aggregate_identifier = ? "
                + "order by sequence_number desc limit 1", byte[].class, product.value());
        return json.readTree(payload);
    }

    private List<String> payloadTypesAfter(ProductId product, long sequence) {
        return jdbc.queryForList("select payload_type from domain_event_entry where aggregate_identifier = ? "
                + "and sequence_number > ? order by sequence_number", String.class, product.value(), sequence);
    }
}
