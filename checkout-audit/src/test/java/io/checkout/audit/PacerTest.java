package io.checkout.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class PacerTest {

    /** Twenty a second: a turn every 50 ms. */
    private static final double RATE = 20;

    @Test
    void turnsOwedAreSentAtOnce() {
        Pacer pacer = new Pacer(Instant.now().minus(Duration.ofHours(1)), RATE);

        long started = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            assertThat(pacer.awaitTurn()).isTrue();
        }

        // An hour behind, ten turns are owed: none of them waits (50 ms each if they did).
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(450));
    }

    @Test
    void aRestartDropsWhatIsOwedAndPacesFromThen() {
        Pacer pacer = new Pacer(Instant.now().minus(Duration.ofHours(1)), RATE);
        pacer.restart(System.currentTimeMillis());

        long started = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            assertThat(pacer.awaitTurn()).isTrue();
        }

        // Turns 0 to 4 are due 0, 50, 100, 150 and 200 ms after the restart.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(190));
    }

    @Test
    void aClientWaitingAtTheRestartTakesATurnOfTheNewSchedule() throws InterruptedException {
        // Two a second: turns 500 ms apart.
        Pacer pacer = new Pacer(Instant.now(), 2);
        List<Long> sends = new CopyOnWriteArrayList<>();
        Thread client = new Thread(() -> {
            while (pacer.awaitTurn()) {
                sends.add(System.currentTimeMillis());
            }
        });
        client.start();
        Thread.sleep(100);
        // The client waits for its second turn, due 500 ms after the start; the window begins now.
        long restart = System.currentTimeMillis();
        pacer.restart(restart);
        Thread.sleep(1_100);
        client.interrupt();
        client.join();

        // The new schedule's turns are due 0, 500 and 1,000 ms after the restart. The client wakes about 400 ms
        // after it, for its old turn, and takes turn 0 instead, then turn 1 at 500 ms: two sends in the first
        // second, where the old turn sent as well would make three.
        long inFirstSecond = sends.stream().filter(at -> at >= restart && at < restart + 1_000).count();
        assertThat(inFirstSecond).isEqualTo(2);
    }
}
