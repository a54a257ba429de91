package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.checkout.audit.Benchmark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The benchmark's read-out against the real system: every checkout sent in the window is found with its end, from
 * the listing of those created since the window began and, for those still running after the window (the open
 * model leaves some; on a cold JVM, all of them), from asking for each. The closed model's clients learn of their
 * checkouts' ends from the system's stream of ends.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BenchmarkRunTest {

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TempDataDir.register(registry, "checkout-benchmark-test");
    }

    @LocalServerPort
    int port;

    /** What a run printed, and its result. */
    private record Run(String output, Benchmark.Result result) {
    }

    /** A run against the system under test: {@code rate} 0 is the closed model; a fixed warm-up, 4 s measured. */
    private Run run(double rate, int clients, Duration warmup, long seed) throws InterruptedException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Benchmark.Settings settings = new Benchmark.Settings(rate, clients, warmup, false, Duration.ofSeconds(4),
                Duration.ofSeconds(60), seed);
        Benchmark.Result result = new Benchmark(Audits.client(port, null), settings,
                new PrintStream(printed, true, StandardCharsets.UTF_8), null).run("test");
        return new Run(printed.toString(StandardCharsets.UTF_8), result);
    }

    /** Every checkout measured (more than {@code atLeast}) was found ended, with its latency, and none failed to send. */
    private static void everyMeasuredCheckoutEnded(Run run, int atLeast) {
        Benchmark.Result result = run.result();
        assertThat(result.accepted()).as(run.output()).isGreaterThan(atLeast);
        assertThat(result.outcomes()).as(run.output()).doesNotContainKey("RUNNING").containsKey("COMPLETED");
        assertThat(result.latencies()).hasSize((int) result.accepted()).allMatch(latency -> latency > 0);
        assertThat(result.errors()).isZero();
    }

    @Test
    void findsTheEndOfEveryCheckoutSentInTheWindowAndNoneSentBeforeIt() throws InterruptedException {
        Run run = run(25, 8, Duration.ofSeconds(3), 7);

        assertThat(run.output()).contains("warm-up over");
        everyMeasuredCheckoutEnded(run, 20);
        // Sent in the warm-up, and listed with the window's (the listing starts a minute before it), yet not counted:
        // the system holds more checkouts than were measured.
        long held = Audits.client(port, null).get("/checkouts?size=1").body().path("totalItems").asLong();
        assertThat(held).as(run.output()).isGreaterThan(run.result().accepted() + 20);
    }

    @Test
    void closedModelClientsHearTheirCheckoutsEndFromTheStream() throws InterruptedException {
        Run run = run(0, 4, Duration.ofSeconds(2), 11);

        assertThat(run.output()).contains("ends heard from the system's stream");
        // Each client sends its next checkout once the stream has said its last one ended.
        everyMeasuredCheckoutEnded(run, 8);
    }
}
