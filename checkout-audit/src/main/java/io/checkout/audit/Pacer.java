package io.checkout.audit;

import java.time.Instant;

/**
 * Holds clients to a rate, all together: the nth send starts no earlier than n / rate seconds after the start. A
 * client that falls behind (the system answered slowly) sends its late turns at once, as an open model's arrivals
 * do; {@link #restart} drops what is owed, so that a measured window is offered the rate, not the warm-up's debt.
 */
final class Pacer {

    private final double rate;
    private long originMillis;
    private long sends;

    /** @param rate sends per second; 0 or less: no limit */
    Pacer(Instant start, double rate) {
        this.originMillis = start.toEpochMilli();
        this.rate = rate;
    }

    /** Waits for this client's next turn; false if interrupted while waiting. */
    boolean awaitTurn() {
        if (rate <= 0) {
            return true;
        }
        long wait = nextDue() - System.currentTimeMillis();
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

    /** Starts the schedule over from {@code millis}: the turns owed until then are not sent. */
    synchronized void restart(long millis) {
        originMillis = millis;
        sends = 0;
    }

    private synchronized long nextDue() {
        return originMillis + (long) (sends++ * 1000 / rate);
    }
}
