package io.checkout.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When the benchmark stops warming up. */
class WarmUpTest {

    private final AtomicLong compiled = new AtomicLong();

    /** Observes every 5 s, the compiler using the given share of a core in each minute, until the warm-up is over. */
    private static Duration runUntilOver(WarmUp warmUp, AtomicLong compiled, double... coresPerMinute) {
        for (int second = 5; second <= 3600; second += 5) {
            double cores = coresPerMinute[Math.min(coresPerMinute.length - 1, (second - 1) / 60)];
            compiled.addAndGet((long) (cores * 5000));
            if (warmUp.over(Duration.ofSeconds(second))) {
                return Duration.ofSeconds(second);
            }
        }
        throw new AssertionError("never over");
    }

    @Test
    void endsOnceTheCompilerHasUsedUnderATwentiethOfACoreForThirtySeconds() {
        WarmUp warmUp = WarmUp.untilTheCompilerSettles(compiled::get, Duration.ofMinutes(10));

        // A core for four minutes, half a core in the fifth, then 2% of a core.
        Duration over = runUntilOver(warmUp, compiled, 1, 1, 1, 1, 0.5, 0.02);

        // The fifth minute ends at 300 s; 30 s of 2% follow before the span shows it.
        assertThat(over).isEqualTo(Duration.ofSeconds(330));
        assertThat(warmUp.compilerCores()).isLessThan(WarmUp.SETTLED_CORES);
        assertThat(warmUp.describe()).isEqualTo(", JIT compiler 0.02 cores");
    }

    @Test
    void neverEndsBeforeTheMinimumEvenWithAnIdleCompiler() {
        WarmUp warmUp = WarmUp.untilTheCompilerSettles(compiled::get, Duration.ofMinutes(10));

        assertThat(runUntilOver(warmUp, compiled, 0)).isEqualTo(WarmUp.MINIMUM);
    }

    @Test
    void endsAtTheMaximumIfTheCompilerNeverSettles() {
        WarmUp warmUp = WarmUp.untilTheCompilerSettles(compiled::get, Duration.ofMinutes(4));

        assertThat(runUntilOver(warmUp, compiled, 0.3)).isEqualTo(Duration.ofMinutes(4));
    }

    @Test
    void aTargetThatReportsNoCompilerTimeGetsTheFixedWarmUp() {
        WarmUp warmUp = WarmUp.untilTheCompilerSettles(() -> -1, Duration.ofMinutes(10));

        assertThat(runUntilOver(warmUp, compiled, 0)).isEqualTo(WarmUp.FALLBACK);
        assertThat(warmUp.describe()).contains("reports no JIT compilation time");
    }

    @Test
    void aReadThatFailsAfterOthersAnsweredIsSkipped() {
        AtomicLong answers = new AtomicLong();
        // A core's worth of compilation a second, and the tenth read fails.
        WarmUp warmUp = WarmUp.untilTheCompilerSettles(
                () -> answers.incrementAndGet() == 10 ? -1 : answers.get() * 5000, Duration.ofMinutes(10));

        for (int second = 5; second <= 300; second += 5) {
            assertThat(warmUp.over(Duration.ofSeconds(second))).as("at %d s", second).isFalse();
        }
        assertThat(warmUp.describe()).isEqualTo(", JIT compiler 1.00 cores");
    }

    @Test
    void aFixedWarmUpIgnoresTheCompiler() {
        WarmUp warmUp = WarmUp.fixed(Duration.ofSeconds(90));

        assertThat(runUntilOver(warmUp, compiled, 1)).isEqualTo(Duration.ofSeconds(90));
    }
}
