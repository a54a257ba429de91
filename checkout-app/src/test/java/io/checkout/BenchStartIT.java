package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark as README.md runs it ({@code bench --start} with the packaged jar, here for a few seconds): it
 * prints its figures, writes its results and the application's log to the results' folder, and leaves no database
 * behind in the temporary folder (a run at full load left gigabytes there).
 */
class BenchStartIT {

    @TempDir
    Path work;

    @Test
    void aStartedRunReportsKeepsTheLogAndDeletesItsDatabase() throws Exception {
        String jar = System.getProperty("app.jar");
        assertThat(jar).as("the packaged application (failsafe sets app.jar)").isNotNull();
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        Path out = work.resolve("results");
        Path printed = work.resolve("bench.out");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), "io.checkout.audit.Cli",
                "bench", "--start", jar, "--rate", "10", "--warmup", "PT3S", "--measure", "PT3S", "--drain", "PT30S",
                "--out", out.toString());

        Process bench = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(printed.toFile()).start();
        assertThat(bench.waitFor(3, TimeUnit.MINUTES)).as("the run ended within 3 minutes").isTrue();
        String output = Files.readString(printed, StandardCharsets.UTF_8);

        assertThat(bench.exitValue()).as(output).isZero();
        assertThat(output).contains("completed checkouts/s", "its log: " + out.resolve("application-tuned.log"));
        assertThat(out.resolve("results.json")).isNotEmptyFile();
        assertThat(output).contains("machine: a fixed piece of work took");
        // This machine has /proc/stat: the busy cores, the application's and the load generator's share of them.
        assertThat(output).containsPattern("machine in the window: \\d+\\.\\d\\d of \\d+ cores busy \\(the application"
                + " \\d+\\.\\d\\d, the load generator \\d+\\.\\d\\d, the rest -?\\d+\\.\\d\\d\\)");
        assertThat(Files.readString(out.resolve("results.json"))).contains("\"loadGeneratorCpuSeconds\"");
        assertThat(Files.readString(out.resolve("machine.json"))).contains("probeMillisBefore", "probeMillisAfter");
        assertThat(Files.readString(out.resolve("application-tuned.log"))).contains("Started CheckoutApplication");
        assertThat(leftIn(tmp)).as(output).noneMatch(name -> name.startsWith("checkout-bench"));
    }

    private static List<String> leftIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(path -> path.getFileName().toString()).toList();
        }
    }
}
