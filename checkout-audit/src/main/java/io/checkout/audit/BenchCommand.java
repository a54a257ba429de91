package io.checkout.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * {@code bench}: against a running system ({@code --url}), or against the all-in-one jar it starts itself on a
 * fresh database ({@code --start}), which also lets it measure the application's CPU and, with
 * {@code --side-by-side}, run the same workload against Axon's default settings and the tuned ones.
 */
final class BenchCommand {

    private BenchCommand() {
    }

    static int run(Map<String, String> options) throws Exception {
        // --warmup auto (the default): until the target's JIT compiler has settled, at most --max-warmup.
        String warmup = options.getOrDefault("warmup", "auto");
        boolean auto = warmup.equalsIgnoreCase("auto");
        double rate = Double.parseDouble(options.getOrDefault("rate", "0"));
        Benchmark.Settings settings = new Benchmark.Settings(rate,
                options.containsKey("clients") ? Integer.parseInt(options.get("clients")) : defaultClients(rate),
                auto ? Duration.parse(options.getOrDefault("max-warmup", "PT10M")) : Duration.parse(warmup), auto,
                Duration.parse(options.getOrDefault("measure", "PT60S")),
                Duration.parse(options.getOrDefault("drain", "PT2M")),
                Long.parseLong(options.getOrDefault("seed", "1")));
        Path out = Path.of(options.getOrDefault("out", "target/bench"));
        String profile = options.get("profile");
        if (profile != null && WindowProfiler.unsupported(profile) != null) {
            System.err.println(WindowProfiler.unsupported(profile));
            return 2;
        }
        if (profile != null && options.containsKey("url") && !options.containsKey("app-pid")) {
            System.err.println("--profile needs the application's process on this machine: --app-pid PID");
            return 2;
        }
        List<Benchmark.Result> results = new ArrayList<>();
        List<ProfiledWindow> profiles = new ArrayList<>();
        MachineProbe.Reading machineBefore = MachineProbe.measure();
        if (options.containsKey("url")) {
            SystemClient system = SystemClient.fromOptions(options);
            LongSupplier cpu = null;
            if (options.containsKey("app-pid")) {
                // The application's process on this machine: its CPU time over the measured window is reported.
                long pid = Long.parseLong(options.get("app-pid"));
                ProcessHandle app = ProcessHandle.of(pid)
                        .orElseThrow(() -> new IllegalArgumentException("no process " + pid + " (--app-pid)"));
                cpu = () -> app.info().totalCpuDuration().map(Duration::toMillis).orElse(0L);
            }
            ProfiledWindow window = profile == null ? null
                    : ProfiledWindow.of(options.get("app-pid"), profile, out, "profile", profiles);
            results.add(new Benchmark(system, settings, System.out, cpu, window).run("target"));
        } else if (options.containsKey("start")) {
            Path jar = Path.of(options.get("start"));
            List<String> jvmOptions = jvmOptions(options.getOrDefault("jvm-options", DEFAULT_JVM_OPTIONS));
            if (Boolean.parseBoolean(options.getOrDefault("side-by-side", "false"))) {
                results.add(started(jar, jvmOptions, "axon-defaults", settings, profile, out, profiles));
            }
            results.add(started(jar, jvmOptions, null, settings, profile, out, profiles));
        } else {
            System.err.println("bench needs --url or --start");
            return 2;
        }
        MachineProbe.Reading machineAfter = MachineProbe.measure();
        System.out.println();
        results.forEach(r -> r.print(System.out));
        if (results.size() == 2) {
            System.out.println(Benchmark.Result.sideBySide(results.get(1), results.get(0)));
        }
        for (ProfiledWindow window : profiles) {
            window.print(System.out);
        }
        System.out.println(MachineProbe.describe(machineBefore, machineAfter));
        Benchmark.write(out, results);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(out.resolve("machine.json").toFile(), MachineProbe.summary(machineBefore, machineAfter));
        System.out.println("written: " + out.resolve("results.json") + ", " + out.resolve("latencies.csv") + ", "
                + out.resolve("throughput.csv") + ", "
                + out.resolve("report.html") + ", " + out.resolve("machine.json"));
        return 0;
    }

    /**
     * The measured window profiled with async-profiler ({@code --profile EVENT}): sampling starts as the window
     * opens and stops as it closes; the collapsed stacks and a flame graph go to the results' folder, and the summary
     * is printed with the results.
     * A profiler that fails does not fail the run: its numbers stand, and the reason is printed.
     */
    static final class ProfiledWindow implements Benchmark.Window {

        private static final int TOP = 15;

        private final WindowProfiler profiler;
        private final Path dir;
        private final String name;
        private boolean started;
        private CpuProfile profile;
        private String failure;

        private ProfiledWindow(WindowProfiler profiler, Path dir, String name) {
            this.profiler = profiler;
            this.dir = dir;
            this.name = name;
        }

        /**
         * A window of this process, tried at once (loaded, started and stopped) so that a profiler that cannot run
         * here fails before the warm-up rather than after it.
         */
        static ProfiledWindow of(String pid, String event, Path dir, String name, List<ProfiledWindow> all)
                throws IOException {
            WindowProfiler profiler = WindowProfiler.of(Long.parseLong(pid), event);
            profiler.start();
            profiler.stopQuietly();
            ProfiledWindow window = new ProfiledWindow(profiler, dir, name);
            all.add(window);
            return window;
        }

        @Override
        public void opened() {
            try {
                profiler.start();
                started = true;
            } catch (RuntimeException e) {
                failure = e.getMessage();
            }
        }

        @Override
        public void closed() {
            if (!started) {
                return;
            }
            try {
                profile = profiler.stop(dir, name);
            } catch (IOException | RuntimeException e) {
                failure = e.getMessage();
            }
        }

        void print(PrintStream out) {
            out.println();
            out.println("== profile of the window: " + name + " (async-profiler, " + profiler.event() + " every "
                    + WindowProfiler.INTERVAL_MILLIS + " ms) ==");
            if (profile == null) {
                out.println(failure != null ? "no profile: " + failure : "no profile: the window never opened");
                return;
            }
            profile.print(out, TOP, profiler.cpuSecondsPerSample());
            out.println("flame graph: " + dir.resolve(name + ".html") + "; stacks: " + dir.resolve(name + ".collapsed"));
        }
    }

    /**
     * The JVM options the project starts the application with everywhere (the Maven plugin, the Dockerfile, README):
     * none since 2026-12-07, G1 with its own pause goal (design.md #38). Both sides of a side by side get them;
     * {@code --jvm-options "..."} gives others.
     */
    static final String DEFAULT_JVM_OPTIONS = "";

    static List<String> jvmOptions(String options) {
        return options.isBlank() ? List.of() : List.of(options.trim().split("\\s+"));
    }

    /**
     * The closed model's 8 in flight; the open model's senders, each of which waits for its answer: one for every 4
     * checkouts a second offered (at least 8), so that answers of up to 250 ms do not hold the arrivals back.
     */
    static int defaultClients(double rate) {
        return rate > 0 ? Math.max(8, (int) Math.ceil(rate / 4)) : 8;
    }

    /**
     * Runs the benchmark against a fresh copy of the application, started with the given profile, on a database in
     * a temporary folder that is deleted when the application has stopped (a run at full load leaves gigabytes);
     * the application's log goes to the results' folder, as {@code application-tuned.log} or
     * {@code application-PROFILE.log}.
     */
    private static Benchmark.Result started(Path jar, List<String> jvmOptions, String profile,
                                            Benchmark.Settings settings, String profileEvent, Path out,
                                            List<ProfiledWindow> profiles) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Files.createDirectories(out);
        Path log = out.resolve("application-" + (profile == null ? "tuned" : profile) + ".log");
        Path data = Files.createTempDirectory("checkout-bench");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-Daxoniq.update-checker.disabled=true", "-jar", jar.toString(),
                "--server.port=" + port, "--checkout.data-dir=" + data));
        if (profile != null) {
            command.add("--spring.profiles.active=" + profile);
        }
        String label = profile == null ? "tuned (default configuration)" : "Axon defaults (profile " + profile + ")";
        System.out.println("starting " + label + " on port " + port
                + (jvmOptions.isEmpty() ? "" : ", JVM options " + String.join(" ", jvmOptions)) + "; its log: " + log);
        Process app = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            SystemClient system = new SystemClient(URI.create("http://localhost:" + port), null);
            long deadline = System.currentTimeMillis() + 120_000;
            while (true) {
                try {
                    if (system.get("/actuator/health").ok()) {
                        break;
                    }
                } catch (RuntimeException notYet) {
                    // starting
                }
                if (System.currentTimeMillis() > deadline || !app.isAlive()) {
                    throw new IllegalStateException("the application did not start; see " + log);
                }
                Thread.sleep(500);
            }
            LongSupplier cpu = () -> app.toHandle().info().totalCpuDuration().map(Duration::toMillis).orElse(0L);
            ProfiledWindow window = profileEvent == null ? null : ProfiledWindow.of(Long.toString(app.pid()),
                    profileEvent, out, "profile-" + (profile == null ? "tuned" : profile), profiles);
            return new Benchmark(system, settings, System.out, cpu, window).run(label);
        } finally {
            app.destroy();
            app.waitFor();
            deleteTree(data);
        }
    }

    /** Deletes a folder and all in it; what cannot be deleted is named, and the run goes on. */
    static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    System.err.println("could not delete " + path + ": " + e);
                }
            });
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
