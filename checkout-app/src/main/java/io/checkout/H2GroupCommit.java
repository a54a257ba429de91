package io.checkout;

import io.checkout.support.web.DurableAnswers;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;

/**
 * Group commit for the embedded H2 file: many transactions written and synced to the disk together, and every
 * answer the application gives held until what it may reflect is there ("external synchrony": Nightingale et al.,
 * <i>Rethink the Sync</i>, OSDI 2006).
 *
 * <p>With {@code WRITE_DELAY=0} H2 writes every commit as a chunk of its own before the commit returns: a checkout
 * commits a dozen transactions, and writing them was more than a third of the application's CPU. With a write
 * delay, a commit only changes the store in memory, and one chunk holds the changes of all the transactions
 * committed since the last one. This writer writes every chunk, in H2's place ({@link H2Stores#takeChunkWrites}):
 * within {@code checkout.h2.write-delay} of a commit at the latest, and each one while no statement runs
 * ({@link H2ChunkGate}; H2's own writer takes a chunk's maps one by one while transactions go on, so its chunks
 * could hold a part of a transaction). What a crash then loses is always a suffix: the store on the disk is the
 * state at one moment, every transaction before it whole and none after it, as if the process had crashed then.
 * Everything of the embedded default (events, sagas, tokens, deadlines, read models) is in this one store, so the
 * system recovers from that state as from any crash.
 *
 * <p>What must not be lost is what someone outside was told: a checkout answered 202, a product answered 201, a
 * status read as {@code COMPLETED}. So {@link #awaitDurable()} (called for every HTTP answer by
 * {@link DurableAnswersFilter}) waits until every transaction committed before the call is written and synced
 * ({@code fsync}). One writer thread does that in rounds: it takes the waiters that have come, writes one chunk
 * for all of them, syncs, releases them, and starts the next round if more have come meanwhile, but not before
 * {@code checkout.h2.round-spacing} (10 ms) has passed since the last one began: each round writes every B-tree page
 * its commits touched, and their paths from the root, so rounds back to back below full load wrote nearly as many
 * pages for fewer commits (docs/design.md #25). Under load a round serves many answers; a lone request after a
 * quiet spell waits for one write and one sync, well under a millisecond here. Only answers wait for rounds, never
 * a saga or a command.
 *
 * <p>Active only on an H2 file database opened with a write delay (H2's default; not {@code WRITE_DELAY=0} in its
 * URL); with {@code WRITE_DELAY=0} (the {@code axonserver} profile, where the events are not in this store) and on
 * PostgreSQL answers do not wait.
 */
class H2GroupCommit implements SmartLifecycle, DurableAnswers {

    private static final Logger log = LoggerFactory.getLogger(H2GroupCommit.class);

    /** How long an answer waits for its round before it fails: far beyond any write, so only a broken disk. */
    static final Duration MAX_WAIT = Duration.ofSeconds(30);

    /** How long a round tries the gate at a time ({@link #writeChunk}), and at most between two tries. */
    private static final long GATE_WAIT_MILLIS = 5;
    private static final long MAX_BACK_OFF_MILLIS = 16;
    /** What {@code MVStore.tryCommit} returns when it wrote nothing (its {@code INITIAL_VERSION}). */
    private static final long NOTHING_WRITTEN = -1;

    private final DataSource dataSource;
    private final H2ChunkGate gate;
    private final ObjectProvider<MeterRegistry> meters;
    /**
     * Guards the tickets and the rounds. Two conditions, so that each wakes only whom it concerns: a new ticket wakes
     * the writer, a round written wakes the answers. (One monitor with {@code notifyAll} woke every waiting answer at
     * every new ticket, to wait again: about as many wake-ups as answers times answers waiting.)
     */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition asked = lock.newCondition();
    private final Condition written = lock.newCondition();
    /** The tickets handed out to waiters; guarded by {@link #lock}. */
    private long requested;
    /** Every ticket up to this one is on the disk; guarded by {@link #lock}. */
    private long durable;
    /** The last round that failed, and why; guarded by {@link #lock}. */
    private long failedUpTo;
    private RuntimeException failure;
    /** H2's count of file writes at the last sync; the writer thread's alone. */
    private long syncedWrites = -1;
    private volatile long syncs;
    private volatile MVStore store;
    private volatile boolean running;
    private Thread writer;
    private Timer rounds;
    private Timer gateWaits;
    /** How soon the writer writes what no answer waits for, in nanoseconds. */
    private final long period;
    /** How long after a round for answers began the next one may begin, in nanoseconds (0: at once). */
    private final long spacing;
    /** H2's own settings, given back at the stop. */
    private int h2Delay;
    private int h2Memory;
    /** How many times a round found the gate or H2's store lock taken and tried again; the writer thread's alone. */
    private volatile long gateRetries;
    private boolean delayResetSeen;

    /**
     * @param writeDelay {@code checkout.h2.write-delay}: how soon what no answer waits for is written (H2's
     *                   {@code WRITE_DELAY}, which this writer does in H2's place)
     * @param roundSpacing {@code checkout.h2.round-spacing}: how long after a round for answers began the next may
     *                     begin; the answers that come meanwhile share it (0: the next round begins as soon as one
     *                     is asked for)
     */
    H2GroupCommit(DataSource dataSource, H2ChunkGate gate,
                  @Value("${checkout.h2.write-delay:100ms}") Duration writeDelay,
                  @Value("${checkout.h2.round-spacing:10ms}") Duration roundSpacing,
                  ObjectProvider<MeterRegistry> meters) {
        if (writeDelay.isNegative() || writeDelay.isZero()) {
            throw new IllegalArgumentException("checkout.h2.write-delay must be above 0: " + writeDelay);
        }
        if (roundSpacing.isNegative()) {
            throw new IllegalArgumentException("checkout.h2.round-spacing must not be negative: " + roundSpacing);
        }
        this.spacing = roundSpacing.toNanos();
        this.dataSource = dataSource;
        this.gate = gate;
        this.period = writeDelay.toNanos();
        this.meters = meters;
    }

    @Override
    public void start() {
        MVStore fileStore = H2Stores.fileStoreOr(dataSource, log, "H2 group commit");
        if (fileStore == null || fileStore.getAutoCommitDelay() == 0) {
            return;
        }
        MeterRegistry registry = meters.getIfAvailable();
        if (registry != null) {
            rounds = Timer.builder("checkout.h2.group.commit")
                    .description("One write and sync of the H2 file for the answers waiting on it")
                    .register(registry);
            gateWaits = Timer.builder("checkout.h2.chunk.gate")
                    .description("How long a chunk waited for the statements under way to end before its maps were"
                            + " taken (H2ChunkGate)")
                    .register(registry);
            FunctionCounter.builder("checkout.h2.chunk.gate.retries", this, H2GroupCommit::gateRetries)
                    .description("How many times a chunk found statements still under way after 5 ms, or H2's store"
                            + " lock taken, and let the statements through before it tried again")
                    .register(registry);
        }
        // From here on only this writer has H2 write chunks, each under the gate: H2's own writer would write one
        // every WRITE_DELAY, and any thread whose write finds too much unwritten would write one itself.
        h2Delay = fileStore.getAutoCommitDelay();
        h2Memory = fileStore.getAutoCommitMemory();
        H2Stores.takeChunkWrites(fileStore);
        store = fileStore;
        running = true;
        writer = new Thread(this::writeInRounds, "h2-group-commit");
        writer.setDaemon(true);
        writer.start();
        log.info("H2 group commit: each HTTP answer waits until what it may reflect is synced to the disk, in rounds "
                + "at least {} ms apart; other commits are written within {} ms, every chunk between transactions "
                + "(H2ChunkGate)", TimeUnit.NANOSECONDS.toMillis(spacing), TimeUnit.NANOSECONDS.toMillis(period));
        if (!gate.gates(dataSource)) {
            log.warn("H2 group commit: the data source's statements are not gated (H2ChunkGate), so a crash may leave "
                    + "a part of a transaction in the file");
        }
    }

    /** Whether answers wait (an H2 file database with a write delay, and started). */
    boolean isActive() {
        return running;
    }

    /**
     * Returns once every transaction committed before this call is written and synced to the disk; at once when
     * the group commit is not active.
     *
     * @throws TimeoutException     if no round succeeded within {@link #MAX_WAIT}
     * @throws IllegalStateException if the round that would have covered the call failed (the cause attached)
     */
    @Override
    public void awaitDurable() throws InterruptedException, TimeoutException {
        if (!running) {
            return;
        }
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        lock.lock();
        try {
            long ticket = ++requested;
            asked.signal();
            while (durable < ticket && running) {
                if (failure != null && failedUpTo >= ticket) {
                    throw new IllegalStateException("The H2 file could not be written", failure);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("The H2 file was not written within " + MAX_WAIT);
                }
                written.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    private void writeInRounds() {
        MVStore current = store;
        long nextUnasked = System.nanoTime() + period;
        long nextAsked = System.nanoTime();
        while (true) {
            // Answers that come now wait for the next round together; they do not wake the writer.
            for (long left = nextAsked - System.nanoTime(); left > 0; left = nextAsked - System.nanoTime()) {
                LockSupport.parkNanos(left);
                if (Thread.interrupted()) {
                    return;
                }
            }
            long round;
            lock.lock();
            try {
                while (running && requested == durable) {
                    long left = nextUnasked - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        asked.awaitNanos(left);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (!running) {
                    return;
                }
                // Every ticket up to here was taken after its transactions had committed: the write below has them.
                round = requested;
            } finally {
                lock.unlock();
            }
            if (current.getAutoCommitDelay() != H2Stores.TAKEN_DELAY && !current.isClosed()) {
                // Something set H2's write delay again: WRITE_DELAY in the URL does, at every new connection.
                if (!delayResetSeen) {
                    delayResetSeen = true;
                    log.warn("H2 group commit: H2's write delay was set to {} ms (WRITE_DELAY in the URL is set again "
                            + "at every new connection; use checkout.h2.write-delay); H2 may write a chunk of its own "
                            + "until this writer takes it back, as now", current.getAutoCommitDelay());
                }
                H2Stores.takeChunkWrites(current);
            }
            long start = System.nanoTime();
            nextUnasked = start + period;
            boolean asked = round != durable;
            if (asked) {
                nextAsked = start + spacing;
            }
            try {
                if (!asked) {
                    // No answer waits: what H2's own writer would have done every WRITE_DELAY (no sync, as H2's).
                    if (current.hasUnsavedChanges()) {
                        writeChunk(current);
                    }
                    continue;
                }
                writeChunk(current);
                // No sync when nothing was written since the last one (answers to reads, when nothing changed).
                current.executeFilestoreOperation(() -> {
                    long writes = current.getFileStore().getWriteCount();
                    if (writes != syncedWrites) {
                        current.sync();
                        syncedWrites = writes;
                        syncs++;
                    }
                });
                // Timed before the waiters go: whoever an answer released sees the round counted.
                if (rounds != null) {
                    rounds.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                }
                lock.lock();
                try {
                    durable = round;
                    written.signalAll();
                } finally {
                    lock.unlock();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!asked) {
                    log.warn("H2 group commit: writing the file failed, will try again: {}", e.toString());
                    continue;
                }
                boolean closed = current.isClosed();
                lock.lock();
                try {
                    failure = e;
                    // A closed store (H2 gave up on the file) fails every answer from now on, at once.
                    failedUpTo = closed ? Long.MAX_VALUE : round;
                    written.signalAll();
                } finally {
                    lock.unlock();
                }
                if (closed) {
                    return;
                }
                log.error("H2 group commit: writing the file failed; the answers waiting get 503", e);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /**
     * Has H2 write one chunk of everything committed so far, its maps taken while no statement runs
     * ({@link H2ChunkGate}); H2's serialization thread then writes it, after the gate is open again
     * ({@code executeFilestoreOperation} waits for that). Takes the gate for a few milliseconds at a time: a
     * statement waiting on a row lock holds it shared, and the transaction it waits for must be let through to
     * commit. H2's store lock is tried, not waited for, under the gate: the housekeeping holds it while it re-writes
     * pages.
     */
    private void writeChunk(MVStore current) throws InterruptedException {
        long start = System.nanoTime();
        long backOff = 1;
        while (!gate.tryExclusively(GATE_WAIT_MILLIS, TimeUnit.MILLISECONDS,
                () -> !current.hasUnsavedChanges() || current.tryCommit() != NOTHING_WRITTEN)) {
            if (current.isClosed()) {
                throw new IllegalStateException("The H2 store is closed");
            }
            gateRetries++;
            TimeUnit.MILLISECONDS.sleep(backOff);
            backOff = Math.min(2 * backOff, MAX_BACK_OFF_MILLIS);
        }
        if (gateWaits != null) {
            gateWaits.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Stops after the web server (a lower phase stops later), so no answer waits on a stopped writer; answers
     * after that do not wait, and H2 writes everything when the database closes.
     */
    @Override
    public void stop() {
        Thread current = writer;
        lock.lock();
        try {
            running = false;
            asked.signal();
            written.signalAll();
        } finally {
            lock.unlock();
        }
        if (current != null) {
            try {
                current.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        writer = null;
        MVStore fileStore = store;
        if (fileStore != null && !fileStore.isClosed()) {
            // H2 writes what is left itself again (and everything when the database closes).
            H2Stores.giveChunkWritesBack(fileStore, h2Delay, h2Memory);
        }
    }

    /** How many times a round found the gate or H2's store lock taken and tried again, since the start. */
    long gateRetries() {
        return gateRetries;
    }

    /** How many times the file was synced since the start. */
    long syncs() {
        return syncs;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before and stops after the web server ({@code SmartLifecycle.DEFAULT_PHASE - 2048}). */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
