package io.checkout.audit;

import java.time.Instant;

/**
 * Holds clients to a rate, all together: the nth send starts no earlier than n / rate seconds after the start. A
 * client that falls behind (the system answered slowly) sends its late turns at once, as an open model's arrivals
 * do; {@link #restart} drops what is owed, so that a measured window is offered the rate, not the warm-up's debt.
 * A client already waiting for a turn of the schedule before the restart takes a turn of the new one when it wakes:
 * otherwise every waiting client (125 at 500 a second) would send its old turn on top of the new schedule's, and the
 * window would begin with the rate doubled for a quarter of a second.
 */
final class Pacer {

    private final double rate;
    private long originMillis;
    private long sends;
    private long schedule;

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
        while (true) {
            Turn turn = nextTurn();
            long wait = turn.dueMillis() - System.currentTimeMillis();
            if (wait > 0) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            if (turn.schedule() == schedule()) {
                return true;
            }
            // The schedule restarted while this client waited: its turn was one of the dropped.
        }
    }

    /** Starts the schedule over from {@code millis}: the turns owed until then, or waited for, are not sent. */
    synchronized void restart(long millis) {
        originMillis = millis;
        sends = 0;
        schedule++;
    }

    private synchronized Turn nextTurn() {
        return new Turn(schedule, originMillis + (long) (sends++ * 1000 / rate));
    }

    private synchronized long schedule() {
        return schedule;
    }

    /** A send's due time in one schedule (each restart begins the next). */
    private record Turn(long schedule, long dueMillis) {
    }
}
