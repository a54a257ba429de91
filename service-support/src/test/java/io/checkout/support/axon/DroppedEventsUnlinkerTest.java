package io.checkout.support.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The events Axon's event store drops from its cache are unlinked from the ones it keeps (design.md #42). */
class DroppedEventsUnlinkerTest {

    private static final int CACHED = 5;

    private final EmbeddedEventStore store = EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine())
            .cachedEvents(CACHED)
            .fetchDelay(50)
            .build();
    private final TrackingEventStream stream = store.openStream(null);
    private DroppedEventsUnlinker unlinker = DroppedEventsUnlinker.start(store, Duration.ZERO);
    private int published;

    @AfterEach
    void stop() {
        unlinker.close();
        stream.close();
        store.shutDown();
    }

    @Test
    void unlinksTheNodesDroppedFromTheCacheAndNotTheCachedOnes() throws InterruptedException {
        tailTheCache();
        publishAndRead(20);
        awaitTrimmed();
        Object head = unlinker.head();
        assertThat(unlinker.sweep()).as("the first sweep only notes the head").isZero();
        assertThat(DroppedEventsUnlinker.next(head)).as("a cached node keeps its link").isNotNull();

        publishAndRead(10);
        awaitTrimmed();
        assertThat(unlinker.sweep()).as("the ten nodes dropped since").isEqualTo(10);
        assertThat(DroppedEventsUnlinker.next(head)).as("a dropped node is unlinked").isNull();
        assertThat(unlinker.sweep()).as("nothing dropped since").isZero();

        assertThat(cached()).as("the cache, from its head to the newest, still linked").isEqualTo(CACHED);
    }

    @Test
    void aStreamLeftBehindOnAnUnlinkedNodeStillReadsEveryEventInOrder() throws InterruptedException {
        tailTheCache();
        publishAndRead(3);
        unlinker.sweep();
        int firstUnread = published;
        for (int i = 0; i < 4 * CACHED; i++) {
            store.publish(GenericEventMessage.asEventMessage(published++));
        }
        // Nodes 0 to 2 held events 1 to 3 (event 0 came from the engine); the cache now holds nodes 18 to 22.
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            unlinker.sweep();
            return unlinker.unlinked() == 4 * CACHED - 2;
        });

        for (int expected = firstUnread; expected < published; expected++) {
            assertThat(stream.hasNextAvailable(5, TimeUnit.SECONDS)).as("event %d", expected).isTrue();
            assertThat(stream.nextAvailable().getPayload()).isEqualTo(expected);
        }
        assertThat(stream.hasNextAvailable(100, TimeUnit.MILLISECONDS)).as("nothing twice").isFalse();
    }

    @Test
    void unlinksOnItsOwnEveryPeriod() throws InterruptedException {
        assertThat(DroppedEventsUnlinker.supported()).as("Axon 4.13's store has the fields it reads").isTrue();
        unlinker = DroppedEventsUnlinker.start(store, Duration.ofMillis(10));
        tailTheCache();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            publishAndRead(1);
            return unlinker.unlinked() > 0;
        });
    }

    /** The store links a new node and signals it before it drops the oldest: waits until it has dropped it. */
    private void awaitTrimmed() {
        await().atMost(Duration.ofSeconds(5)).until(() -> cached() == CACHED);
    }

    private int cached() {
        int cached = 0;
        for (Object node = unlinker.head(); node != null; node = DroppedEventsUnlinker.next(node)) {
            cached++;
        }
        return cached;
    }

    /** Reads the first event from the storage engine, then waits once for more: the stream then tails the cache. */
    private void tailTheCache() throws InterruptedException {
        publishAndRead(1);
        assertThat(stream.hasNextAvailable(100, TimeUnit.MILLISECONDS)).isFalse();
    }

    private void publishAndRead(int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            int payload = published++;
            store.publish(GenericEventMessage.asEventMessage(payload));
            assertThat(stream.hasNextAvailable(5, TimeUnit.SECONDS)).as("event %d", payload).isTrue();
            assertThat(stream.nextAvailable().getPayload()).isEqualTo(payload);
        }
    }
}
