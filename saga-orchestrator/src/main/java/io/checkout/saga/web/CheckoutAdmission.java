package io.checkout.saga.web;

import io.checkout.saga.query.CheckoutStatus;
import io.checkout.saga.query.CheckoutViewRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Refuses new checkouts while {@code checkout.admission.max-running} are running. Offered more than it can carry,
 * the system would otherwise queue without bound: once a checkout waits longer than the step timeout its saga
 * compensates, which adds commands to the queue that made it late, and almost nothing completes any more (seen at
 * 40 checkouts a second offered to a JVM still compiling: 26 of 2,403 completed). Refused at the door, a client
 * gets 503 with {@code Retry-After} and the checkouts admitted run at the system's capacity.
 * <p>
 * The running checkouts are counted in the read model (indexed by status) at most every {@link #RECOUNT}; between
 * two counts each admitted checkout adds one, so a burst cannot overshoot the bound by more than what ends within
 * that time.
 */
@Component
class CheckoutAdmission {

    static final Duration RECOUNT = Duration.ofMillis(100);

    private final LongSupplier runningNow;
    private final LongSupplier nanoTime;
    private final AdmissionProperties settings;
    private final Counter refused;
    private final AtomicLong running = new AtomicLong();
    private volatile long countedAt;

    @Autowired
    CheckoutAdmission(CheckoutViewRepository checkouts, AdmissionProperties settings, MeterRegistry meters) {
        this(() -> checkouts.countByStatus(CheckoutStatus.RUNNING), System::nanoTime, settings, meters);
    }

    /** @param nanoTime a monotonic clock in nanoseconds */
    CheckoutAdmission(LongSupplier runningNow, LongSupplier nanoTime, AdmissionProperties settings,
                      MeterRegistry meters) {
        this.runningNow = runningNow;
        this.nanoTime = nanoTime;
        this.countedAt = nanoTime.getAsLong() - RECOUNT.toNanos();
        this.settings = settings;
        this.refused = Counter.builder("checkouts.refused")
                .description("Checkouts refused with 503 because checkout.admission.max-running were running")
                .register(meters);
    }

    /** Admits one more checkout, or throws {@link Overloaded} if the bound is reached. */
    void admit() {
        if (settings.maxRunning() <= 0) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (now - countedAt >= RECOUNT.toNanos()) {
            synchronized (this) {
                if (now - countedAt >= RECOUNT.toNanos()) {
                    running.set(runningNow.getAsLong());
                    countedAt = now;
                }
            }
        }
        long admitted = running.incrementAndGet();
        if (admitted > settings.maxRunning()) {
            running.decrementAndGet();
            refused.increment();
            throw new Overloaded(admitted - 1, settings);
        }
    }

    /** Too many checkouts running to take another now. */
    static final class Overloaded extends RuntimeException {

        private final transient AdmissionProperties settings;

        Overloaded(long running, AdmissionProperties settings) {
            super(running + " checkouts are running, the most this system takes at once "
                    + "(checkout.admission.max-running); retry in " + settings.retryAfter().toSeconds() + " s");
            this.settings = settings;
        }

        /** Whole seconds, as {@code Retry-After} wants them, at least one. */
        long retryAfterSeconds() {
            return Math.max(1, (settings.retryAfter().toMillis() + 999) / 1000);
        }
    }
}
