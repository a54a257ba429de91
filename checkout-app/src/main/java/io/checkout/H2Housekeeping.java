package io.checkout;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.unit.DataSize;

/**
 * The embedded H2 file's housekeeping, which H2 leaves undone when every commit is written at once.
 *
 * <p>With {@code WRITE_DELAY=0} each commit writes its changed pages as a new chunk at the end of the file, and
 * H2 runs no background writer, the thread that would sync the file, re-write the live pages of mostly dead chunks
 * and so let those chunks be freed. H2 also keeps every chunk for its retention time (45 s) after it died, in
 * case the disk had not yet written its successor when the machine crashed. Under load that was tens of thousands
 * of chunks: the file grew by 20 to 50 MB a second, and every commit re-wrote the ever longer list of chunks (the
 * store's layout), which took nearly half of the application's CPU after three minutes at 100 checkouts a second.
 *
 * <p>Every {@code interval} this task forces the file to the disk ({@code fsync}), then re-writes a bounded amount
 * of live pages out of sparse chunks. Because everything older than one interval is then on the disk, a chunk can
 * be reused after {@code retention} (a few intervals) instead of 45 s without risking the file when the machine
 * crashes; the sync also bounds what a power cut can lose to about one interval, where the page cache held up to
 * 30 s before.
 *
 * <p>With a write delay (the default since the group commit, {@link H2GroupCommit}) H2's background writer would
 * re-write chunks itself, every tenth of the delay; the application's URL turns that off
 * ({@code AUTO_COMPACT_FILL_RATE=0}), because it re-read pages from the disk and took 8% of the CPU, and leaves it
 * to this task once a second.
 *
 * <p>Only an H2 file database is kept this way: the PostgreSQL modes do not use it.
 */
class H2Housekeeping implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(H2Housekeeping.class);
    /** How many times a turn H2's compact() is asked, each waiting up to 10 ms for the store's lock. */
    private static final int LOCK_ATTEMPTS = 10;

    private final DataSource dataSource;
    private final Duration interval;
    private final Duration retention;
    private final int targetFillRate;
    private final int writeLimit;
    private volatile ScheduledExecutorService executor;
    private volatile MVStore store;
    private final AtomicLong rewritingTurns = new AtomicLong();

    /**
     * @param interval       {@code checkout.h2.housekeeping.interval}: how often; 0 leaves the file to H2's defaults
     * @param retention      {@code checkout.h2.housekeeping.retention}: how long a dead chunk is kept; at least
     *                       twice the interval
     * @param targetFillRate {@code checkout.h2.housekeeping.fill-rate}: chunks less full than this (percent) are
     *                       re-written (H2's own default: 90)
     * @param writeLimit     {@code checkout.h2.housekeeping.write-limit}: at most this much re-written a turn
     */
    H2Housekeeping(DataSource dataSource,
                   @Value("${checkout.h2.housekeeping.interval:1s}") Duration interval,
                   @Value("${checkout.h2.housekeeping.retention:5s}") Duration retention,
                   @Value("${checkout.h2.housekeeping.fill-rate:90}") int targetFillRate,
                   @Value("${checkout.h2.housekeeping.write-limit:4MB}") DataSize writeLimit) {
        if (!interval.isZero() && retention.compareTo(interval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("checkout.h2.housekeeping.retention (" + retention
                    + ") must be at least twice checkout.h2.housekeeping.interval (" + interval + ")");
        }
        this.dataSource = dataSource;
        this.interval = interval;
        this.retention = retention;
        this.targetFillRate = targetFillRate;
        this.writeLimit = (int) Math.min(Integer.MAX_VALUE, writeLimit.toBytes());
    }

    @Override
    public void start() {
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        MVStore fileStore = H2Stores.fileStoreOr(dataSource, log, "H2 housekeeping");
        if (fileStore == null) {
            return;
        }
        store = fileStore;
        // Safe only because the file is synced every interval from now on (see the class comment).
        fileStore.setRetentionTime((int) retention.toMillis());
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "h2-housekeeping");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::run, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        executor = scheduler;
        log.info("H2 housekeeping every {}: sync, then re-write chunks under {}% full (at most {} a turn); "
                + "dead chunks kept {}", interval, targetFillRate, DataSize.ofBytes(writeLimit), retention);
    }

    /** One turn: sync, then re-write. */
    private void run() {
        MVStore current = store;
        if (current == null || current.isClosed()) {
            return;
        }
        try {
            current.sync();
            // H2's compact() gives up when it cannot take the store's lock within 10 ms, which under load it
            // mostly cannot: it is tried again, a few times a turn. It must not run inside
            // executeFilestoreOperation, which would wait for the lock but holds H2's serialization lock as well: a
            // page re-written there makes H2 write a chunk whenever the changes not yet written pass its auto-commit
            // buffer, that chunk waits for the serialization lock on H2's own thread, and every writer of the
            // database waits behind the two for ever (H2HousekeepingTest).
            boolean rewritten = false;
            for (int attempt = 0; attempt < LOCK_ATTEMPTS && !rewritten
                    && current.getFileStore().getChunksFillRate() < targetFillRate; attempt++) {
                rewritten = current.compact(targetFillRate, writeLimit);
            }
            if (rewritten) {
                rewritingTurns.incrementAndGet();
            }
            if (log.isDebugEnabled()) {
                log.debug("H2 housekeeping: re-wrote {}; live share of the chunks {}%, of the file {}%",
                        rewritten ? "chunks" : "nothing", current.getFileStore().getChunksFillRate(),
                        current.getFillRate());
            }
        } catch (RuntimeException e) {
            if (!current.isClosed()) {
                log.warn("H2 housekeeping failed, will try again: {}", e.toString());
            }
        }
    }

    /** How many turns re-wrote chunks since the start. */
    long rewritingTurns() {
        return rewritingTurns.get();
    }

    /** Stops before the data source closes the database (lifecycles stop before beans are destroyed). */
    @Override
    public void stop() {
        ScheduledExecutorService current = executor;
        executor = null;
        if (current != null) {
            current.shutdown();
            try {
                current.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
