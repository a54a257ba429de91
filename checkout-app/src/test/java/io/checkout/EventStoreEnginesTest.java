package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.checkout.support.axon.GapQueryJpaEventStorageEngine;
import io.checkout.support.axon.JdbcEventStatements;
import jakarta.persistence.EntityManagerFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The two event storage engines ({@code checkout.event-store.engine}) over the one set of tables Hibernate makes:
 * both read a tracking token's gaps with a query of their own ({@link GapQueryJpaEventStorageEngine},
 * {@link JdbcEventStatements}) and return the events of Axon's single query, in its order, batch after batch; an
 * event appended by either is read by both; their global indexes never collide; a duplicate aggregate sequence
 * number is Axon's concurrency failure with either.
 */
@SpringBootTest
class EventStoreEnginesTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TempDataDir.register(registry, "event-store-engines-test");
    }

    @Autowired
    EventStorageEngine applicationEngine;
    @Autowired
    EntityManagerProvider entityManagerProvider;
    /**
     * Transactions as the jpa settings give them, for both kinds of store (JdbcTransactionsConfig's JDBC transaction
     * manager, the application's with the JDBC stores, steps back for Axon's JPA stores); the JDBC stores join them.
     */
    TransactionManager transactionManager;

    @Autowired
    void transactions(EntityManagerFactory entityManagerFactory) {
        transactionManager = new SpringTransactionManager(new JpaTransactionManager(entityManagerFactory));
    }
    @Autowired
    Serializer serializer;
    @Autowired
    PersistenceExceptionResolver persistenceExceptionResolver;
    @Autowired
    DataSource dataSource;

    /** Seven events, and their global indexes in the order they were appended. */
    private List<String> ids;
    private Map<String, Long> index;

    @BeforeEach
    void appendSevenEvents() {
        List<EventMessage<?>> events = events(7);
        ids = events.stream().map(EventMessage::getIdentifier).toList();
        applicationEngine.appendEvents(events);
        index = applicationEngine.readEvents(null, false)
                .filter(e -> ids.contains(e.getIdentifier()))
                .collect(Collectors.toMap(EventMessage::getIdentifier, e -> indexOf(e)));
    }

    /**
     * The embedded default runs the JDBC engine with this project's statements: Axon's own append would leave the
     * global index out, which the table's column (drawn by Hibernate for the JPA entry) does not allow.
     */
    @Test
    void theApplicationAppendsWithTheJdbcEngine() {
        assertThat(applicationEngine).isInstanceOf(JdbcEventStorageEngine.class);
        assertThat(index.values()).doesNotHaveDuplicates().hasSize(7);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpa", "jdbc"})
    void readsTheGapsFirstThenTheEventsAfterTheToken(String engine) {
        GapAwareTrackingToken token = GapAwareTrackingToken.newInstance(at(3), Set.of(at(0), at(2)));

        assertThat(read(engine(engine, 3), token))
                .containsExactly(ids.get(0), ids.get(2), ids.get(4), ids.get(5), ids.get(6));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpa", "jdbc"})
    void moreGapsThanOneBatchAreReadOverSeveralBatches(String engine) {
        GapAwareTrackingToken token = GapAwareTrackingToken.newInstance(at(4), Set.of(at(0), at(1), at(2), at(3)));

        assertThat(read(engine(engine, 3), token)).containsExactly(ids.get(0), ids.get(1), ids.get(2), ids.get(3),
                ids.get(5), ids.get(6));
    }

    /** Three gaps take four places in the JDBC engine's statement, the last gap twice: it is read once. */
    @ParameterizedTest
    @ValueSource(strings = {"jpa", "jdbc"})
    void aGapAskedForTwiceIsReadOnce(String engine) {
        GapAwareTrackingToken token = GapAwareTrackingToken.newInstance(at(4), Set.of(at(0), at(1), at(3)));

        assertThat(read(engine(engine, 3), token))
                .containsExactly(ids.get(0), ids.get(1), ids.get(3), ids.get(5), ids.get(6));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpa", "jdbc"})
    void aTokenWithoutGapsReadsWhatFollowsIt(String engine) {
        GapAwareTrackingToken token = GapAwareTrackingToken.newInstance(at(1), Set.of());

        assertThat(read(engine(engine, 3), token))
                .containsExactly(ids.get(2), ids.get(3), ids.get(4), ids.get(5), ids.get(6));
    }

    /**
     * A database the JPA engine wrote, then the JDBC engine (a process after a restart), then the JPA engine again:
     * no index is taken twice, the JDBC engine's events follow every event before them and come one after the
     * other, and both engines read all of them, in the same order.
     */
    @Test
    void theEnginesShareTheTablesAndNeverTakeTheSameIndex() {
        EventStorageEngine jpa = engine("jpa", 100);
        EventStorageEngine jdbc = engine("jdbc", 100);
        List<EventMessage<?>> byJpa = events(7);
        List<EventMessage<?>> byJdbc = events(60);
        List<EventMessage<?>> byJpaAgain = events(5);

        jpa.appendEvents(byJpa);
        jdbc.appendEvents(byJdbc);
        jpa.appendEvents(byJpaAgain);

        List<TrackedEventMessage<?>> all = jpa.readEvents(null, false).<TrackedEventMessage<?>>map(e -> e).toList();
        List<Long> jdbcIndexes = indexes(all, byJdbc);
        List<Long> jpaIndexes = new ArrayList<>(indexes(all, byJpa));
        jpaIndexes.addAll(indexes(all, byJpaAgain));
        assertThat(jdbcIndexes).hasSize(60).doesNotContainAnyElementsOf(jpaIndexes);
        assertThat(jpaIndexes).hasSize(12);
        assertThat(jdbcIndexes.get(0)).isGreaterThan(Collections.max(indexes(all, byJpa)));
        // A block of the sequence's 50 indexes, taken in a row, then the next block for the other 10.
        assertThat(jdbcIndexes.subList(0, 50))
                .isEqualTo(LongStream.range(jdbcIndexes.get(0), jdbcIndexes.get(0) + 50).boxed().toList());
        assertThat(jdbc.readEvents(null, false).map(EventMessage::getIdentifier).toList())
                .isEqualTo(all.stream().map(EventMessage::getIdentifier).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpa", "jdbc"})
    void aSequenceNumberTakenTwiceIsAConcurrencyFailure(String engine) {
        EventStorageEngine storage = engine(engine, 100);
        String aggregate = "aggregate-" + engine;
        storage.appendEvents(domainEvent(aggregate, 0), domainEvent(aggregate, 1));

        assertThatThrownBy(() -> transactionManager.executeInTransaction(
                () -> storage.appendEvents(domainEvent(aggregate, 1))))
                .isInstanceOf(ConcurrencyException.class);
        assertThat(storage.readEvents(aggregate).asStream().map(DomainEventMessage::getSequenceNumber))
                .containsExactly(0L, 1L);
    }

    private EventStorageEngine engine(String engine, int batchSize) {
        if (engine.equals("jdbc")) {
            return new JdbcEventStatements().configure(JdbcEventStorageEngine.builder()
                    .snapshotSerializer(serializer)
                    .eventSerializer(serializer)
                    .persistenceExceptionResolver(persistenceExceptionResolver)
                    .connectionProvider(new SpringDataSourceConnectionProvider(dataSource))
                    .transactionManager(transactionManager)
                    .batchSize(batchSize), true).build();
        }
        return new GapQueryJpaEventStorageEngine(JpaEventStorageEngine.builder()
                .snapshotSerializer(serializer)
                .eventSerializer(serializer)
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .entityManagerProvider(entityManagerProvider)
                .transactionManager(transactionManager)
                .batchSize(batchSize));
    }

    private static List<EventMessage<?>> events(int count) {
        return IntStream.range(0, count)
                .<EventMessage<?>>mapToObj(i -> GenericEventMessage.asEventMessage("event " + i))
                .toList();
    }

    private static DomainEventMessage<?> domainEvent(String aggregate, long sequence) {
        return new GenericDomainEventMessage<>("Test", aggregate, sequence, "event " + sequence);
    }

    private static long indexOf(TrackedEventMessage<?> event) {
        return ((GapAwareTrackingToken) event.trackingToken()).getIndex();
    }

    private static List<Long> indexes(List<TrackedEventMessage<?>> read, List<EventMessage<?>> appended) {
        Set<String> wanted = appended.stream().map(EventMessage::getIdentifier).collect(Collectors.toSet());
        return read.stream().filter(e -> wanted.contains(e.getIdentifier())).map(EventStoreEnginesTest::indexOf).toList();
    }

    private long at(int event) {
        return index.get(ids.get(event));
    }

    private List<String> read(EventStorageEngine engine, GapAwareTrackingToken token) {
        return engine.readEvents(token, false)
                .map(TrackedEventMessage::getIdentifier)
                .filter(ids::contains)
                .toList();
    }
}
