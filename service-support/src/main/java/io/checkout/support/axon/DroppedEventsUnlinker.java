package io.checkout.support.axon;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the events that Axon's {@link EmbeddedEventStore} has dropped from its cache die young.
 * <p>
 * The store keeps the newest events for the tracking processors in a singly linked list, and drops the oldest by
 * moving its head; a dropped node keeps its link to the next. Once one node has lived long enough to be promoted to
 * the old generation (its events are still in the cache at a young collection or two), the collector takes that dead
 * node's link as a root for every young collection until an old collection frees it: the next node survives because
 * of it, is promoted in turn, and so on. Every event the store ever read was promoted that way, whatever the size of
 * the cache (10 MB a second at full load here, each event copied 3 to 5 times between the survivor spaces before;
 * docs/design.md #42). Breaking the link of each dropped node ends the chain.
 * <p>
 * Every {@code period} this walks from the head it saw the time before to the store's current head and clears each
 * node's link on the way. A tracking processor that still stands on a dropped node is behind the cache: the store
 * sees that at its next read and has it read from the storage engine on its own until it has caught up, as it does
 * without this (a cleared link reads as "nothing new yet" until then). Only nodes below the current head's index are
 * touched; nodes in the cache are not.
 * <p>
 * Axon 4.13 is the last 4.x release, so the store's fields read here are final; if they are not found, a warning is
 * logged and nothing is unlinked.
 */
public final class DroppedEventsUnlinker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DroppedEventsUnlinker.class);
    private static final Optional<Fields> FIELDS = Fields.find();

    private final EmbeddedEventStore store;
    private final ScheduledExecutorService sweeper;
    private Object lastHead;
    private long unlinked;

    private DroppedEventsUnlinker(EmbeddedEventStore store, ScheduledExecutorService sweeper) {
        this.store = store;
        this.sweeper = sweeper;
    }

    /**
     * Unlinks the store's dropped events every {@code period}, on a daemon thread of its own, until closed; a period
     * of zero makes one that unlinks only when {@link #sweep()} is called.
     */
    public static DroppedEventsUnlinker start(EmbeddedEventStore store, Duration period) {
        if (FIELDS.isEmpty() || period.isZero()) {
            return new DroppedEventsUnlinker(store, null);
        }
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "event-store-unlinker");
            thread.setDaemon(true);
            return thread;
        });
        DroppedEventsUnlinker unlinker = new DroppedEventsUnlinker(store, sweeper);
        long nanos = period.toNanos();
        sweeper.scheduleWithFixedDelay(unlinker::sweepQuietly, nanos, nanos, TimeUnit.NANOSECONDS);
        return unlinker;
    }

    /** Whether this Axon's store has the fields the unlinker reads, for tests. */
    static boolean supported() {
        return FIELDS.isPresent();
    }

    /**
     * Clears the link of every node dropped from the cache since the last sweep: what the sweeper runs every period,
     * and tests call.
     *
     * @return how many nodes this sweep unlinked
     */
    synchronized long sweep() {
        if (FIELDS.isEmpty()) {
            return 0;
        }
        Fields fields = FIELDS.get();
        Object head = fields.oldest.getVolatile(store);
        if (head == null) {
            return 0;
        }
        long headIndex = (long) fields.index.get(head);
        long count = 0;
        Object node = lastHead;
        while (node != null && (long) fields.index.get(node) < headIndex) {
            Object next = fields.next.getVolatile(node);
            fields.next.setVolatile(node, null);
            node = next;
            count++;
        }
        lastHead = head;
        unlinked += count;
        return count;
    }

    /** How many nodes have been unlinked since the start. */
    public synchronized long unlinked() {
        return unlinked;
    }

    /** The store's oldest cached node, for tests. */
    Object head() {
        return FIELDS.orElseThrow().oldest.getVolatile(store);
    }

    /** The node after this one, or null once unlinked (or the newest), for tests. */
    static Object next(Object node) {
        return FIELDS.orElseThrow().next.getVolatile(node);
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.warn("Could not unlink the events dropped from the event store's cache", e);
        }
    }

    @Override
    public void close() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }

    /** The store's head ({@code oldest}), and each node's {@code index} and link ({@code next}). */
    private record Fields(VarHandle oldest, VarHandle index, VarHandle next) {

        static Optional<Fields> find() {
            try {
                Class<?> node = Class.forName(EmbeddedEventStore.class.getName() + "$Node");
                MethodHandles.Lookup store = MethodHandles.privateLookupIn(EmbeddedEventStore.class,
                        MethodHandles.lookup());
                MethodHandles.Lookup nodes = MethodHandles.privateLookupIn(node, MethodHandles.lookup());
                return Optional.of(new Fields(store.findVarHandle(EmbeddedEventStore.class, "oldest", node),
                        nodes.findVarHandle(node, "index", long.class), nodes.findVarHandle(node, "next", node)));
            } catch (ReflectiveOperationException | RuntimeException e) {
                log.warn("Axon's EmbeddedEventStore is not the one this was written for ({}): events dropped from its "
                        + "cache stay linked, and are promoted to the old generation", e.toString());
                return Optional.empty();
            }
        }
    }
}
