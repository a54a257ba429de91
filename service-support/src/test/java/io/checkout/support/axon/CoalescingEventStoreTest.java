package io.checkout.support.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.eventhandling.TrackingEventStream;
import org.junit.jupiter.api.Test;

class CoalescingEventStoreTest {

    private static final int EVENTS = 20;
    private static final long SPACING_MILLIS = 20;

    /** Counts the reads of new events, the ones that cost a transaction and a query on a database. */
    private static final class CountingEngine extends InMemoryEventStorageEngine {
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
            reads.incrementAndGet();
            return super.readEvents(trackingToken, mayBlock);
        }
    }

    private record Run(List<Object> received, int reads, long firstMillis) {
    }

    /**
     * Twenty commits 20 ms apart, read by one tracking stream: the payloads it received, the reads of the store,
     * and how long the first event took to reach the stream.
     */
    private static Run commitAndRead(Duration signalInterval) throws InterruptedException {
        return commitAndRead(signalInterval, () -> true);
    }

    private static Run commitAndRead(Duration signalInterval, java.util.function.BooleanSupplier busy)
            throws InterruptedException {
        CountingEngine engine = new CountingEngine();
        // Axon's poll far away, so that only the signals start reads.
        EmbeddedEventStore store = new CoalescingEventStore(EmbeddedEventStore.builder().storageEngine(engine)
                .fetchDelay(60_000), signalInterval, busy);
        try (TrackingEventStream stream = store.openStream(null)) {
            // The stream reads privately until it has caught up, then from the reader's cache.
            assertThat(stream.hasNextAvailable(200, TimeUnit.MILLISECONDS)).isFalse();
            Thread.sleep(100);
            engine.reads.set(0);
            List<Object> received = new ArrayList<>();
            long start = System.nanoTime();
            store.publish(GenericEventMessage.asEventMessage("event-0"));
            long firstMillis = -1;
            if (stream.hasNextAvailable(5, TimeUnit.SECONDS)) {
                firstMillis = (System.nanoTime() - start) / 1_000_000;
                received.add(stream.nextAvailable().getPayload());
            }
            for (int i = 1; i < EVENTS; i++) {
                Thread.sleep(SPACING_MILLIS);
                store.publish(GenericEventMessage.asEventMessage("event-" + i));
            }
            while (received.size() < EVENTS && stream.hasNextAvailable(5, TimeUnit.SECONDS)) {
                received.add(stream.nextAvailable().getPayload());
            }
            return new Run(received, engine.reads.get(), firstMillis);
        } finally {
            store.shutDown();
        }
    }

    @Test
    void readsTheCommitsOfAnIntervalTogetherAndLosesNone() throws Exception {
        Run axons = commitAndRead(Duration.ZERO);
        Run coalesced = commitAndRead(Duration.ofSeconds(1));

        List<Object> all = IntStream.range(0, EVENTS).mapToObj(i -> (Object) ("event-" + i)).toList();
        assertThat(axons.received()).isEqualTo(all);
        assertThat(coalesced.received()).isEqualTo(all);
        // Axon's store reads after every commit (and once more, finding nothing); here the first commit is read at
        // once and the other nineteen, all within the second after it, together.
        assertThat(axons.reads()).as("reads with a signal after every commit").isGreaterThanOrEqualTo(EVENTS);
        assertThat(coalesced.reads()).as("reads with a signal at most once a second").isLessThanOrEqualTo(6);
    }

    @Test
    void signalsEveryCommitWhileTheMachineIsNotBusy() throws Exception {
        Run idle = commitAndRead(Duration.ofSeconds(1), () -> false);

        assertThat(idle.received()).hasSize(EVENTS);
        assertThat(idle.reads()).as("reads with the machine not busy").isGreaterThanOrEqualTo(EVENTS);
    }

    @Test
    void aCommitOnAQuietStoreIsReadAtOnce() throws Exception {
        Run coalesced = commitAndRead(Duration.ofSeconds(2));

        // Not after the interval: the first signal after a quiet interval goes at once.
        assertThat(coalesced.firstMillis()).isBetween(0L, 1_000L);
    }

    @Test
    void stopsItsTimerWithTheStore() {
        CoalescingEventStore store = new CoalescingEventStore(EmbeddedEventStore.builder()
                .storageEngine(new InMemoryEventStorageEngine()), Duration.ofMillis(5), () -> true);
        store.publish(GenericEventMessage.asEventMessage("one"));
        store.publish(GenericEventMessage.asEventMessage("two"));
        assertThat(store.timerStopped()).isFalse();

        store.shutDown();

        assertThat(store.timerStopped()).isTrue();
    }
}
