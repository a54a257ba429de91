package io.checkout.support.axon;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

/**
 * Axon's embedded event store, telling its reader of new events at most once every {@code signalInterval} while the
 * machine is busy.
 *
 * <p>Axon's store wakes its reader (the thread that reads new events for the tracking processors) after every
 * commit that appended events. The reader reads what is new, wakes every processor for each event it found, and
 * reads again, finding nothing. Under full load a commit comes every half millisecond, so each read finds one or two
 * events, each costs a transaction and a query, and each wakes the processors to handle one event in a batch and a
 * transaction of its own (docs/performance.md, "What a checkout asks of the database").
 *
 * <p>Here, while {@code busy} says so, a commit within the interval after the last signal leaves one signal pending,
 * sent when the interval has passed, which every commit until then shares: the reader then reads them all at once,
 * and the processors take them in one batch. The first commit after a quiet interval wakes the reader at once, and
 * while the machine is not busy every commit does, as in Axon: there the wait would only add to each checkout's
 * latency (about a millisecond a hop, twice the saga's own time at 150 checkouts a second), and the cores it would
 * save are idle anyway. No commit goes unread: one that finds a signal pending committed before that signal is sent,
 * and the flag is cleared before the signal, so a commit after that sends or schedules its own. Axon's own poll (the
 * fetch delay) stays as it was.
 */
public class CoalescingEventStore extends EmbeddedEventStore {

    private final long intervalNanos;
    private final BooleanSupplier busy;
    private final AtomicLong lastSignal = new AtomicLong(System.nanoTime() - Long.MAX_VALUE / 2);
    private final AtomicBoolean pending = new AtomicBoolean();
    private final ScheduledExecutorService timer;

    /**
     * @param builder        Axon's builder for the store
     * @param signalInterval at most one signal to the reader this often while busy; zero signals after every commit,
     *                       as Axon
     * @param busy           whether the machine is busy enough for a signal's cost to matter more than its wait; asked
     *                       at each commit, so it must be cheap
     */
    public CoalescingEventStore(Builder builder, Duration signalInterval, BooleanSupplier busy) {
        super(builder);
        this.intervalNanos = signalInterval.toNanos();
        this.busy = busy;
        this.timer = intervalNanos == 0 ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "event-store-signal");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        if (intervalNanos == 0) {
            super.afterCommit(events);
            return;
        }
        long now = System.nanoTime();
        long last = lastSignal.get();
        if ((now - last >= intervalNanos || !busy.getAsBoolean()) && lastSignal.compareAndSet(last, now)) {
            super.afterCommit(events);
        } else if (pending.compareAndSet(false, true)) {
            timer.schedule(this::signal, Math.max(0, last + intervalNanos - now), TimeUnit.NANOSECONDS);
        }
    }

    /** The pending signal: cleared before it is sent, so that a commit after this point signals on its own. */
    private void signal() {
        pending.set(false);
        lastSignal.set(System.nanoTime());
        super.afterCommit(List.of());
    }

    /** Whether the timer of the pending signals has been stopped (with the store). */
    boolean timerStopped() {
        return timer == null || timer.isShutdown();
    }

    @Override
    public void shutDown() {
        if (timer != null) {
            timer.shutdownNow();
        }
        super.shutDown();
    }
}
