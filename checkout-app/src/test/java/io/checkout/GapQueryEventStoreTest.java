package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.checkout.support.axon.GapQueryJpaEventStorageEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The storage engine reads a tracking token's gaps with a query of their own ({@link GapQueryJpaEventStorageEngine}):
 * the events it returns, and their order, are those of Axon's single query, batch after batch.
 */
@SpringBootTest
class GapQueryEventStoreTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws IOException {
        String dir = Files.createTempDirectory("gap-query-test").toString();
        registry.add("checkout.data-dir", () -> dir);
    }

    @Autowired
    EventStorageEngine applicationEngine;
    @Autowired
    EntityManagerProvider entityManagerProvider;
    @Autowired
    TransactionManager transactionManager;
    @Autowired
    Serializer serializer;
    @Autowired
    PersistenceExceptionResolver persistenceExceptionResolver;

    /** Seven events, and their global indexes in the order they were appended. */
    private List<String> ids;
    private Map<String, Long> index;
    private EventStorageEngine engine;

    @BeforeEach
    void appendSevenEvents() {
        List<EventMessage<?>> events = IntStream.range(0, 7)
                .<EventMessage<?>>mapToObj(i -> GenericEventMessage.asEventMessage("event " + i))
                .toList();
        ids = events.stream().map(EventMessage::getIdentifier).toList();
        applicationEngine.appendEvents(events);
        index = applicationEngine.readEvents(null, false)
                .filter(e -> ids.contains(e.getIdentifier()))
                .collect(Collectors.toMap(EventMessage::getIdentifier,
                        e -> ((GapAwareTrackingToken) e.trackingToken()).getIndex()));
        // Batches of 3, so that the gaps and the events after the token straddle batches.
        engine = new GapQueryJpaEventStorageEngine(JpaEventStorageEngine.builder()
                .snapshotSerializer(serializer)
                .eventSerializer(serializer)
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .entityManagerProvider(entityManagerProvider)
                .transactionManager(transactionManager)
                .batchSize(3));
    }

    @Test
    void theApplicationReadsEventsWithTheGapQuery() {
        assertThat(applicationEngine).isInstanceOf(GapQueryJpaEventStorageEngine.class);
    }

    @Test
    void readsTheGapsFirstThenTheEventsAfterTheToken() {
        GapAwareTrackingToken token = GapAwareTrackingToken.newInstance(at(3), Set.of(at(0), at(2)));

        assertThat(read(token)).containsExactly(ids.get(0), ids.get(2), ids.get(4), ids.get(5), ids.get(6));
    }

    @Test
    void moreGapsThanOneBatchAreReadOverSeveralBatches() {
        GapAwareTrackingToken token = GapAwareTrackingToken.newInstance(at(4), Set.of(at(0), at(1), at(2), at(3)));

        assertThat(read(token)).containsExactly(ids.get(0), ids.get(1), ids.get(2), ids.get(3), ids.get(5),
                ids.get(6));
    }

    @Test
    void aTokenWithoutGapsReadsWhatFollowsIt() {
        GapAwareTrackingToken token = GapAwareTrackingToken.newInstance(at(1), Set.of());

        assertThat(read(token)).containsExactly(ids.get(2), ids.get(3), ids.get(4), ids.get(5), ids.get(6));
    }

    private long at(int event) {
        return index.get(ids.get(event));
    }

    private List<String> read(GapAwareTrackingToken token) {
        return engine.readEvents(token, false)
                .map(TrackedEventMessage::getIdentifier)
                .filter(ids::contains)
                .toList();
    }
}
