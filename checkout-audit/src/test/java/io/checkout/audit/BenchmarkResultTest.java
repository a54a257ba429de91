package io.checkout.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the benchmark prints about the application's CPU. */
class BenchmarkResultTest {

    private static final Benchmark.Settings SIXTY_SECONDS = new Benchmark.Settings(0, 32, Duration.ofMinutes(2), false,
            Duration.ofSeconds(60), Duration.ofMinutes(2), 1);

    private static Benchmark.Result result(double endedPerSecond, Double cpuSeconds) {
        return new Benchmark.Result("target", SIXTY_SECONDS, 3000, 3000, 0, 0, Map.of("COMPLETED", 3000L), endedPerSecond,
                endedPerSecond, Map.of("p50", 100L), cpuSeconds, List.of(), List.of(),
                new Benchmark.Steadiness(endedPerSecond, 100, 200, endedPerSecond, 100, 200), Duration.ofMinutes(2));
    }

    @Test
    void cpuOfTheWindowIsSharedOutOverTheCheckoutsThatEndedInIt() {
        // 50 a second for 60 s is 3,000 checkouts; 111 s of CPU over them is 37 ms each, 1.85 cores.
        Benchmark.Result result = result(50, 111.0);
        assertThat(result.cpuMillisPerCheckout()).isEqualTo(37.0);

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        result.print(new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("application CPU: 111.0 s, 1.85 cores, 37.0 ms a checkout ended");
    }

    @Test
    void noCpuFigureWithoutAProcessOrWithoutEndedCheckouts() {
        assertThat(result(50, null).cpuMillisPerCheckout()).isNull();
        assertThat(result(0, 12.0).cpuMillisPerCheckout()).isNull();
    }
}
