package io.checkout.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
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
}
