package io.checkout.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the benchmark prints about the application's CPU, over the window and in each half, and what it writes. */
class BenchmarkResultTest {

    private static final Benchmark.Settings SIXTY_SECONDS = new Benchmark.Settings(0, 32, Duration.ofMinutes(2), false,
            Duration.ofSeconds(60), Duration.ofMinutes(2), 1);

    private static Benchmark.Result result(double endedPerSecond, Double cpuSeconds) {
        return new Benchmark.Result("target", SIXTY_SECONDS, 3000, 3000, 3000, 0, 0, Map.of("COMPLETED", 3000L), endedPerSecond,
                endedPerSecond, Map.of("p50", 100L), cpuSeconds, List.of(), List.of(),
                new Benchmark.Steadiness(endedPerSecond, 100, 200, endedPerSecond, 100, 200, null, null),
                Duration.ofMinutes(2), null);
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
    void writesEachSecondsCheckoutsAndEachLatencyAsCsvBesideTheSummaryAndTheDrawing(@TempDir Path dir)
            throws IOException {
        Benchmark.Result result = new Benchmark.Result("tuned", SIXTY_SECONDS, 5, 5, 5, 0, 0,
                Map.of("COMPLETED", 4L, "FAILED", 1L), 3.0 / 60, 4.0 / 60, Map.of("p50", 40L), null,
                List.of(new long[] {0, 2, 0, 40, 40}, new long[] {1, 1, 1, 70, 70}), List.of(30L, 40L, 55L, 70L),
                new Benchmark.Steadiness(0, 0, 0, 0, 0, 0, null, null), Duration.ofMinutes(2), null);

        Benchmark.write(dir, List.of(result));

        assertThat(Files.readAllLines(dir.resolve("throughput.csv")))
                .containsExactly("run,second,completed,compensated,p99_ms,max_ms", "tuned,0,2,0,40,40",
                        "tuned,1,1,1,70,70");
        assertThat(Files.readAllLines(dir.resolve("latencies.csv")))
                .containsExactly("run,latency_ms", "tuned,30", "tuned,40", "tuned,55", "tuned,70");
        assertThat(Files.readString(dir.resolve("results.json"))).contains("\"run\" : \"tuned\"")
                .contains("\"completedPerSecond\" : 0.05");
        assertThat(Files.readString(dir.resolve("report.html"))).contains("<svg").contains("peak 2");
    }

    @Test
    void eachSecondOfTheWindowHasItsOwnP99AndLongestLatency() {
        long from = 1_000_000;
        List<Benchmark.Sample> samples = new ArrayList<>();
        // Second 0: 100 completed, their latencies 1 to 100 ms; second 2: one compensated after 700 ms; one still
        // running, and one that ended before the window, count nowhere.
        for (int i = 1; i <= 100; i++) {
            samples.add(new Benchmark.Sample("c" + i, from + 500 - i, from + 500L, "COMPLETED"));
        }
        samples.add(new Benchmark.Sample("late", from + 1_600, from + 2_300L, "FAILED"));
        samples.add(new Benchmark.Sample("running", from, null, null));
        samples.add(new Benchmark.Sample("before", from - 900, from - 10L, "COMPLETED"));

        List<long[]> perSecond = Benchmark.perSecond(samples, from, from + 3_000);

        assertThat(perSecond).containsExactly(new long[] {0, 100, 0, 99, 100}, new long[] {1, 0, 0, 0, 0},
                new long[] {2, 0, 1, 700, 700});
        // A window of 2.5 s: its third second is a half, and the end at 2.3 s is in it; one at 2.6 s would not be.
        samples.add(new Benchmark.Sample("after", from + 2_000, from + 2_600L, "COMPLETED"));
        assertThat(Benchmark.perSecond(samples, from, from + 2_500)).hasSize(3)
                .last().isEqualTo(new long[] {2, 0, 1, 700, 700});
    }

    @Test
    void sideBySideGivesTheThroughputRatioAndTheCpuRatioWhenBothCpuFiguresAreKnown() {
        // In 60 s the tuned run ended 3,000 checkouts on 30 s of CPU (10 ms each), the defaults 600 on 150 s (250 ms).
        Benchmark.Result tuned = result(50, 30.0);
        Benchmark.Result defaults = result(10, 150.0);

        assertThat(Benchmark.Result.sideBySide(tuned, defaults)).isEqualTo("tuned / Axon defaults: 5.00x completed"
                + " checkouts/s, p50 100 ms vs 100 ms, CPU a checkout 10.0 ms vs 250.0 ms (25.00x less)");
        assertThat(Benchmark.Result.sideBySide(tuned, result(10, null)))
                .isEqualTo("tuned / Axon defaults: 5.00x completed checkouts/s, p50 100 ms vs 100 ms");
    }

    @Test
    void theOpenModelSaysWhenItsSendersFellBehindTheRate() {
        Benchmark.Settings open = new Benchmark.Settings(500, 8, Duration.ofMinutes(2), false, Duration.ofSeconds(60),
                Duration.ofMinutes(2), 1);
        Benchmark.Result behind = new Benchmark.Result("target", open, 40_000, 25_800, 25_800, 0, 0, Map.of(), 430,
                430, Map.of("p50", 46L), null, List.of(), List.of(), new Benchmark.Steadiness(0, 0, 0, 0, 0, 0, null,
                null), Duration.ofMinutes(2), null);
        Benchmark.Result kept = new Benchmark.Result("target", open, 40_000, 29_940, 29_940, 0, 0, Map.of(), 499,
                499, Map.of("p50", 46L), null, List.of(), List.of(), new Benchmark.Steadiness(0, 0, 0, 0, 0, 0, null,
                null), Duration.ofMinutes(2), null);

        assertThat(behind.offered()).isEqualTo("offered 500.0/s, sent 430.0/s in the window: the 8 senders fell"
                + " behind the rate (answers slower than 16 ms); give more --clients");
        assertThat(kept.offered()).isEqualTo("offered 500.0/s, sent 499.0/s in the window");
        assertThat(BenchCommand.defaultClients(500)).isEqualTo(125);
        assertThat(BenchCommand.defaultClients(20)).isEqualTo(8);
        assertThat(BenchCommand.defaultClients(0)).isEqualTo(8);
    }

    @Test
    void theStartedJvmTakesTheProjectsOptionsUnlessToldOtherwise() {
        assertThat(BenchCommand.jvmOptions(BenchCommand.DEFAULT_JVM_OPTIONS)).isEmpty();
        assertThat(BenchCommand.jvmOptions("-XX:MaxGCPauseMillis=25")).containsExactly("-XX:MaxGCPauseMillis=25");
        assertThat(BenchCommand.jvmOptions(" -Xmx2g  -XX:+UseParallelGC ")).containsExactly("-Xmx2g",
                "-XX:+UseParallelGC");
        assertThat(BenchCommand.jvmOptions("")).isEmpty();
    }

    @Test
    void saysWhereTheMachinesCpuWentInTheWindow() {
        // Over 60 s, 99 s of the application's CPU (1.65 cores) and 9 s of the load generator's (0.15 cores).
        Benchmark.Machine machine = new Benchmark.Machine(2, 1.96, 9.0, 60.0);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Benchmark.Result result = result(50, 99.0);
        new Benchmark.Result(result.label(), result.settings(), result.sent(), result.sentInWindow(),
                result.accepted(), result.refused(), result.errors(), result.outcomes(), result.completedPerSecond(),
                result.endedPerSecond(), result.latencyMillis(), result.cpuSeconds(), result.throughputPerSecond(),
                result.latencies(), result.steadiness(), result.warmedUp(), machine)
                .print(new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("machine in the window: 1.96 of 2 cores busy"
                + " (the application 1.65, the load generator 0.15, the rest 0.16)");

        assertThat(machine.describe(null))
                .isEqualTo("machine in the window: 1.96 of 2 cores busy (the load generator 0.15, the rest 1.81)");
        assertThat(new Benchmark.Machine(2, null, 9.0, 60.0).describe(111.0))
                .isEqualTo("machine in the window: the load generator took 0.15 cores of 2");
    }

    @Test
    void busyCoresAreAllButIdleIowaitAndStealOfTheCountersInBetween() {
        // user, nice, system, idle, iowait, irq, softirq, steal: 200 ticks in all, 40 of them idle, 10 iowait, 10 steal.
        long[] before = {1000, 0, 500, 9000, 100, 0, 10, 50};
        long[] after = {1100, 0, 530, 9040, 110, 0, 20, 60};
        assertThat(MachineProbe.busyCores(before, after, 2)).isEqualTo(1.4);
        assertThat(MachineProbe.busyCores(null, after, 2)).isNull();
        assertThat(MachineProbe.busyCores(after, after, 2)).isNull();
        Benchmark.Machine machine = Benchmark.Machine.between(new Benchmark.Machine.Reading(0, 1_000_000_000L, before),
                new Benchmark.Machine.Reading(2_000_000_000L, 3_500_000_000L, after));
        assertThat(machine.loadGeneratorCpuSeconds()).isEqualTo(2.5);
        assertThat(machine.seconds()).isEqualTo(2.0);
    }

    @Test
    void noCpuFigureWithoutAProcessOrWithoutEndedCheckouts() {
        assertThat(result(50, null).cpuMillisPerCheckout()).isNull();
        assertThat(result(0, 12.0).cpuMillisPerCheckout()).isNull();
    }

    @Test
    void eachHalfHasTheCpuSpentInItOverTheCheckoutsThatEndedInIt() {
        // A 60 s window from t=0, its middle read at 30.5 s: 3 checkouts ended before it, 2 after.
        List<Benchmark.Sample> samples = List.of(
                new Benchmark.Sample("a", 0, 1_000L, "COMPLETED"),
                new Benchmark.Sample("b", 0, 20_000L, "COMPLETED"),
                new Benchmark.Sample("c", 0, 30_400L, "FAILED"),
                new Benchmark.Sample("d", 0, 30_600L, "COMPLETED"),
                new Benchmark.Sample("e", 0, 59_000L, "COMPLETED"),
                new Benchmark.Sample("late", 0, 61_000L, "COMPLETED"),
                new Benchmark.Sample("running", 0, null, "RUNNING"));

        Benchmark.Steadiness halves = Benchmark.steadiness(samples, 0, 60_000, 1_000L, new long[] {30_500, 1_030L},
                1_070L);

        assertThat(halves.firstCpuMillisPerCheckout()).isEqualTo(10.0);
        assertThat(halves.secondCpuMillisPerCheckout()).isEqualTo(20.0);
        assertThat(halves.cpuChangePercent()).isEqualTo(100.0);
        assertThat(halves.firstPerSecond()).isEqualTo(3 / 30.5);
        assertThat(halves.secondPerSecond()).isEqualTo(2 / 29.5);

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        new Benchmark.Result("target", SIXTY_SECONDS, 7, 7, 7, 0, 0, Map.of("COMPLETED", 7L), 5 / 60.0, 5 / 60.0,
                Map.of("p50", 100L), 0.07, List.of(), List.of(), halves, Duration.ofMinutes(2), null)
                .print(new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("CPU a checkout: first half 10.00 ms, second half 20.00 ms (+100.0%)");
    }

    @Test
    void withoutTheCpuTheHalvesAreCutAtTheMiddleAndHaveNoCpuFigure() {
        List<Benchmark.Sample> samples = List.of(
                new Benchmark.Sample("a", 0, 29_000L, "COMPLETED"),
                new Benchmark.Sample("b", 0, 31_000L, "COMPLETED"));

        Benchmark.Steadiness halves = Benchmark.steadiness(samples, 0, 60_000, null, null, null);

        assertThat(halves.firstPerSecond()).isEqualTo(1 / 30.0);
        assertThat(halves.secondPerSecond()).isEqualTo(1 / 30.0);
        assertThat(halves.cpuChangePercent()).isNull();
    }
}
