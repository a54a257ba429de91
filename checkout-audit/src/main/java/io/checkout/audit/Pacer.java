package io.checkout.audit;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Holds clients to a rate, all together: the nth send starts no earlier than n / rate seconds after the start. */
final class Pacer {

    private final long startMillis;
    private final double rate;
    private final AtomicLong sends = new AtomicLong();

    /** @param rate sends per second; 0 or less: no limit */
    Pacer(Instant start, double rate) {
        this.startMillis = start.toEpochMilli();
        this.rate = rate;
    }

    /** Waits for this client's next turn; false if interrupted while waiting. */
    boolean awaitTurn() {
        if (rate <= 0) {
            return true;
        }
        long due = startMillis + (long) (sends.getAndIncrement() * 1000 / rate);
        long wait = due - System.currentTimeMillis();
        if (wait > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
