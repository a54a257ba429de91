package io.checkout.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The checkout benchmark: drives checkouts over HTTP, open model (a fixed arrival rate) or closed (N clients, each
 * sending its next checkout once its last one's saga has ended: N checkouts in flight), with a realistic mix: about
 * 90% complete, 10% are compensated for lack of stock, and a third have two or three lines. It warms up, measures
 * for a set time, and counts a checkout when its saga has ended (not when its request was accepted), with the
 * latency from sending the request to the saga's end.
 */
public class Benchmark {

    /**
     * @param rate     checkouts per second offered (open model); 0 for the closed model
     * @param clients  clients sending at once (the closed model's concurrency; the open model's sender pool)
     * @param warmup   sent, but not measured: this long, or with {@code untilCompilerSettles} at most this long
     * @param untilCompilerSettles the warm-up ends once the target's JIT compiler has settled ({@link WarmUp})
     * @param measure  the measured window
     * @param drain    how long to wait after the window for the measured sagas to end
     */
    public record Settings(double rate, int clients, Duration warmup, boolean untilCompilerSettles, Duration measure,
                           Duration drain, long seed) {
    }

    /**
     * The measured window cut in two halves: checkouts ended per second in each, the latency of those that ended in
     * each, and the application's CPU a checkout ended in each (null when the CPU is unknown). A system that slows as
     * its tables grow shows it here; the CPU a checkout tells that apart from a machine that gave it less CPU.
     */
    public record Steadiness(double firstPerSecond, long firstP50, long firstP99, double secondPerSecond,
                             long secondP50, long secondP99, Double firstCpuMillisPerCheckout,
                             Double secondCpuMillisPerCheckout) {
        public double throughputChangePercent() {
            return firstPerSecond == 0 ? 0 : (secondPerSecond - firstPerSecond) * 100 / firstPerSecond;
        }

        /** The change of the CPU a checkout from the first half to the second, or null when it is unknown. */
        public Double cpuChangePercent() {
            return firstCpuMillisPerCheckout == null || secondCpuMillisPerCheckout == null
                    ? null
                    : (secondCpuMillisPerCheckout - firstCpuMillisPerCheckout) * 100 / firstCpuMillisPerCheckout;
        }
    }

    /** One measured checkout: when its request left, and when and how its saga ended (null while running). */
    record Sample(String id, long sentAtMillis, Long endedAtMillis, String status) {
    }

    /**
     * @param sentInWindow checkouts sent in the measured window, answered or not: in the open model, what was offered
     * @param refused      checkouts answered 503 (the system's admission bound, or its disk); not in {@code errors}
     */
    public record Result(String label, Settings settings, long sent, long sentInWindow, long accepted, long refused,
                         long errors,
                         Map<String, Long> outcomes, double completedPerSecond, double endedPerSecond,
                         Map<String, Long> latencyMillis, Double cpuSeconds, List<long[]> throughputPerSecond,
                         List<Long> latencies, Steadiness steadiness, Duration warmedUp, Machine machine) {

        public void print(PrintStream out) {
            out.printf(Locale.ROOT, "== %s: %s model, %.0f s measured after %.0f s of warm-up ==%n", label,
                    settings.rate() > 0 ? "open (" + settings.rate() + "/s offered)" : "closed (" + settings.clients()
                            + " clients)", settings.measure().toMillis() / 1000.0, warmedUp.toMillis() / 1000.0);
            out.printf(Locale.ROOT, "completed checkouts/s: %.1f (ended, completed or compensated: %.1f/s)%n",
                    completedPerSecond, endedPerSecond);
            out.println("latency, request to saga end (ms): " + latencyMillis);
            if (settings.rate() > 0) {
                out.println(offered());
            }
            out.printf(Locale.ROOT, "steadiness: first half %.1f ended/s, p50 %d ms, p99 %d ms; second half %.1f"
                    + " ended/s,"
                    + " p50 %d ms, p99 %d ms; throughput %+.1f%%%n", steadiness.firstPerSecond(),
                    steadiness.firstP50(), steadiness.firstP99(), steadiness.secondPerSecond(), steadiness.secondP50(),
                    steadiness.secondP99(), steadiness.throughputChangePercent());
            if (steadiness.cpuChangePercent() != null) {
                out.printf(Locale.ROOT, "CPU a checkout: first half %.2f ms, second half %.2f ms (%+.1f%%)%n",
                        steadiness.firstCpuMillisPerCheckout(), steadiness.secondCpuMillisPerCheckout(),
                        steadiness.cpuChangePercent());
            }
            out.println("outcomes: " + outcomes + ", sent " + sent + ", accepted " + accepted + ", refused (503) "
                    + refused + ", errors " + errors);
            out.println("application CPU: " + (cpuSeconds == null
                    ? "n/a (neither started by the benchmark nor named by --app-pid)"
                    : String.format(Locale.ROOT, "%.1f s, %.2f cores, %.1f ms a checkout ended", cpuSeconds,
                            cpuSeconds / (settings.measure().toMillis() / 1000.0), cpuMillisPerCheckout())));
            if (machine != null) {
                out.println(machine.describe(cpuSeconds));
            }
        }

        /** The checkouts sent a second in the window, answered or not: in the open model, the load actually offered. */
        public double sentPerSecondInWindow() {
            return sentInWindow / (settings.measure().toMillis() / 1000.0);
        }

        /**
         * The open model's line: what was sent against what was offered. Each sender waits for its answer, so when
         * the answers take longer than the senders allow ({@code clients / rate} seconds) the arrivals fall behind
         * the rate and the figures are no longer the open model's.
         */
        String offered() {
            String line = String.format(Locale.ROOT, "offered %.1f/s, sent %.1f/s in the window", settings.rate(),
                    sentPerSecondInWindow());
            return sentPerSecondInWindow() >= 0.98 * settings.rate() ? line : line + String.format(Locale.ROOT,
                    ": the %d senders fell behind the rate (answers slower than %.0f ms); give more --clients",
                    settings.clients(), settings.clients() * 1000.0 / settings.rate());
        }

        /**
         * The side-by-side line: the completed checkouts a second of the tuned run over those of Axon's defaults,
         * the medians, and, when both CPU figures are known, the CPU a checkout of each and how many times less the
         * tuned run spends (a ratio that depends less on the load offered than the throughput's).
         */
        public static String sideBySide(Result tuned, Result defaults) {
            String line = String.format(Locale.ROOT, "tuned / Axon defaults: %.2fx completed checkouts/s, p50 %d ms vs"
                            + " %d ms", tuned.completedPerSecond() / Math.max(0.001, defaults.completedPerSecond()),
                    tuned.latencyMillis().get("p50"), defaults.latencyMillis().get("p50"));
            Double tunedCpu = tuned.cpuMillisPerCheckout();
            Double defaultsCpu = defaults.cpuMillisPerCheckout();
            return tunedCpu == null || defaultsCpu == null ? line : line + String.format(Locale.ROOT,
                    ", CPU a checkout %.1f ms vs %.1f ms (%.2fx less)", tunedCpu, defaultsCpu, defaultsCpu / tunedCpu);
        }

        /**
         * The application's CPU time over the measured window divided by the checkouts that ended in it: what a
         * checkout costs, which varies less from run to run than the throughput (null when the CPU is unknown).
         */
        public Double cpuMillisPerCheckout() {
            double ended = endedPerSecond * settings.measure().toMillis() / 1000.0;
            return cpuSeconds == null || ended == 0 ? null : cpuSeconds * 1000 / ended;
        }
    }

    /**
     * Where the machine's CPU went in the window: the cores it kept busy (null where {@code /proc/stat} is not there)
     * and the CPU this load generator took, which the application did not get on a machine they share; over
     * {@code seconds}, from the window's opening to its last client's end (as the application's CPU is read).
     */
    public record Machine(int cores, Double busyCores, double loadGeneratorCpuSeconds, double seconds) {

        /** The counters at one moment: when, this process's CPU time (ns) and the machine's ticks. */
        record Reading(long atNanos, long ownCpuNanos, long[] ticks) {
            static Reading now() {
                return new Reading(System.nanoTime(), processCpuNanos(), MachineProbe.cpuTicks());
            }
        }

        static Machine between(Reading before, Reading after) {
            int cores = Runtime.getRuntime().availableProcessors();
            return new Machine(cores, MachineProbe.busyCores(before.ticks(), after.ticks(), cores),
                    Math.max(0, after.ownCpuNanos() - before.ownCpuNanos()) / 1e9,
                    Math.max(1, after.atNanos() - before.atNanos()) / 1e9);
        }

        private static long processCpuNanos() {
            return ManagementFactory.getOperatingSystemMXBean()
                    instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
        }

        /**
         * The line printed: the busy cores, the application's (when known), the load generator's, and the rest (the
         * kernel's work for both, other processes); a machine with cores left idle was not the limit.
         */
        String describe(Double applicationCpuSeconds) {
            double generator = loadGeneratorCpuSeconds / seconds;
            if (busyCores == null) {
                return String.format(Locale.ROOT, "machine in the window: the load generator took %.2f cores of %d",
                        generator, cores);
            }
            if (applicationCpuSeconds == null) {
                return String.format(Locale.ROOT, "machine in the window: %.2f of %d cores busy (the load generator"
                        + " %.2f, the rest %.2f)", busyCores, cores, generator, busyCores - generator);
            }
            double application = applicationCpuSeconds / seconds;
            return String.format(Locale.ROOT, "machine in the window: %.2f of %d cores busy (the application %.2f,"
                            + " the load generator %.2f, the rest %.2f)", busyCores, cores, application, generator,
                    busyCores - application - generator);
        }
    }

    /** How far before the window the read-out lists checkouts from, for a target whose clock is behind ours. */
    private static final Duration CLOCK_MARGIN = Duration.ofMinutes(1);

    /** Up to this many checkouts still running after the read-out's listing are asked for one by one. */
    private static final int ASK_ONE_BY_ONE = 1000;

    /** How often the closed model asks which checkouts have ended, against a system without the stream of ends. */
    private static final long POLL_MILLIS = 20;

    private final SystemClient system;
    private final Settings settings;
    private final PrintStream out;
    private final LongSupplier cpuMillis;
    private final Window window;

    /** Told when the measured window opens and when its last client has finished (when the CPU is read). */
    public interface Window {
        void opened();

        void closed();
    }

    /** @param cpuMillis the application's CPU time so far, in ms, or null if unknown */
    public Benchmark(SystemClient system, Settings settings, PrintStream out, LongSupplier cpuMillis) {
        this(system, settings, out, cpuMillis, null);
    }

    /** @param window told when the measured window opens and closes (a profiler of the application), or null */
    public Benchmark(SystemClient system, Settings settings, PrintStream out, LongSupplier cpuMillis, Window window) {
        this.system = system;
        this.settings = settings;
        this.out = out;
        this.cpuMillis = cpuMillis;
        this.window = window;
    }

    public Result run(String label) throws InterruptedException {
        Random random = new Random(settings.seed());
        List<String> plenty = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            plenty.add(system.require(system.post("/products", Map.of("name", "bench-" + i, "price", 9.99,
                    "stock", 1_000_000_000), Map.of()), "/products").path("id").asText());
        }
        String scarce = system.require(system.post("/products", Map.of("name", "bench-sold-out", "price", 1,
                "stock", 0), Map.of()), "/products").path("id").asText();

        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        AtomicLong sent = new AtomicLong();
        AtomicLong sentInWindow = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        Instant start = Instant.now();
        Pacer pacer = new Pacer(start, settings.rate());
        WarmUp warmUp = settings.untilCompilerSettles()
                ? WarmUp.untilTheCompilerSettles(this::compileMillis, settings.warmup())
                : WarmUp.fixed(settings.warmup());
        // Known once the warm-up is over; until then the clients send without measuring.
        AtomicLong measureFrom = new AtomicLong(Long.MAX_VALUE);
        AtomicLong end = new AtomicLong(Long.MAX_VALUE);
        Instant latestEnd = start.plus(settings.warmup()).plus(settings.measure()).plus(settings.drain());
        Long cpuBefore = null;
        Long cpuMiddle = null;
        Machine.Reading machineBefore = null;
        long middle = Long.MAX_VALUE;
        EndWatcher watcher = new EndWatcher();
        if (settings.rate() <= 0) {
            watcher.start();
            out.println(watcher.streaming() ? "ends heard from the system's stream (GET /checkouts/ended)"
                    : "no stream of ends at the target: asking for the running checkouts every " + POLL_MILLIS + " ms");
        }
        ExecutorService clients = Executors.newFixedThreadPool(settings.clients());
        for (int c = 0; c < settings.clients(); c++) {
            long seed = random.nextLong();
            clients.submit(() -> {
                Random own = new Random(seed);
                while (System.currentTimeMillis() < end.get()) {
                    if (!pacer.awaitTurn()) {
                        return;
                    }
                    long at = System.currentTimeMillis();
                    sent.incrementAndGet();
                    if (at >= measureFrom.get() && at < end.get()) {
                        sentInWindow.incrementAndGet();
                    }
                    try {
                        // The new checkout's id from its address: its body is not read (SystemClient's
                        // postForLocation), a share of the load generator's CPU left to the system.
                        SystemClient.Response response = system.postForLocation("/checkouts",
                                body(own, plenty, scarce));
                        String location = response.header("Location");
                        if (response.status() == 202 && location != null) {
                            String id = location.substring(location.lastIndexOf('/') + 1);
                            if (at >= measureFrom.get()) {
                                sentAt.put(id, at);
                            }
                            if (settings.rate() <= 0) {
                                // Closed model: the client's next checkout waits for this one's saga to end.
                                watcher.awaitEnd(id, latestEnd);
                            }
                        } else if (response.status() == 503) {
                            refused.incrementAndGet();
                        } else {
                            errors.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        errors.incrementAndGet();
                    }
                }
            });
        }
        clients.shutdown();
        boolean middleRead = cpuMillis == null;
        while (!clients.awaitTermination(middleRead ? 5_000
                : Math.max(1, Math.min(5_000, middle - System.currentTimeMillis())), TimeUnit.MILLISECONDS)) {
            if (!middleRead && System.currentTimeMillis() >= middle) {
                // The CPU at the window's middle, read when it comes rather than at the next progress line, so
                // that each half's CPU goes with the checkouts that ended in it.
                middle = System.currentTimeMillis();
                cpuMiddle = cpuMillis.getAsLong();
                middleRead = true;
                continue;
            }
            Duration elapsed = Duration.between(start, Instant.now());
            boolean warming = measureFrom.get() == Long.MAX_VALUE;
            String compiler = "";
            if (warming && warmUp.over(elapsed)) {
                cpuBefore = cpuMillis == null ? null : cpuMillis.getAsLong();
                machineBefore = Machine.Reading.now();
                if (window != null) {
                    window.opened();
                }
                long now = System.currentTimeMillis();
                // The turns the clients could not send while the warm-up held them up are not the window's load.
                pacer.restart(now);
                measureFrom.set(now);
                end.set(now + settings.measure().toMillis());
                middle = now + settings.measure().toMillis() / 2;
                out.printf("[%3ds] warm-up over%s%n", elapsed.toSeconds(), warmUp.describe());
                warming = false;
            } else if (warming) {
                compiler = warmUp.describe();
            }
            out.printf("[%3ds] %s: %d sent, %d measured, %d refused, %d errors%s%n", elapsed.toSeconds(),
                    warming ? "warming up" : "measuring", sent.get(), sentAt.size(), refused.get(), errors.get(),
                    compiler);
        }
        watcher.stop();
        Long cpuAfter = cpuMillis == null ? null : cpuMillis.getAsLong();
        Machine machine = machineBefore == null ? null : Machine.between(machineBefore, Machine.Reading.now());
        if (window != null) {
            window.closed();
        }
        Instant from = Instant.ofEpochMilli(measureFrom.get());
        List<Sample> samples = await(sentAt, from, Instant.now().plus(settings.drain()));
        return result(label, samples, sent.get(), sentInWindow.get(), refused.get(), errors.get(), from, cpuBefore,
                cpuAfter,
                Duration.between(start, from), cpuMiddle == null ? null : new long[] {middle, cpuMiddle}, machine);
    }

    /** The target's JIT compilation time so far (its {@code jvm.compilation.time} metric), or -1 if it has none. */
    private long compileMillis() {
        try {
            SystemClient.Response metric = system.adminGet("/actuator/metrics/jvm.compilation.time");
            return metric.ok() ? metric.body().path("measurements").path(0).path("value").asLong(-1) : -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * Tells closed-model clients when their checkouts have ended. It listens to the system's stream of checkouts as
     * they end ({@code GET /checkouts/ended}); every {@link #CHECK_MILLIS} it also asks for the running checkouts if a
     * client has waited that long, which catches an end the stream missed (one before it had connected, or while it
     * connected again). Against a system without the stream it asks every {@link #POLL_MILLIS} instead, for all
     * clients at once: a poll per client would load the system more than the checkouts do.
     */
    private final class EndWatcher implements Runnable {

        private static final int PAGE = 500;
        /** How long a client waits before the watcher asks the system directly. */
        private static final long CHECK_MILLIS = 1_000;
        /** How long an end heard of before its client waited for it is kept. */
        private static final long KEEP_EARLY_MILLIS = 60_000;
        /** The clients waiting, with when each began; guarded by {@code this}. */
        private final Map<String, Waiter> waiting = new HashMap<>();
        /** Ends heard of before their client waited (the stream can be that fast), with when; guarded by {@code this}. */
        private final Map<String, Long> early = new HashMap<>();
        private final CountDownLatch connected = new CountDownLatch(1);
        private volatile boolean streaming;
        private volatile boolean stopped;

        private record Waiter(CountDownLatch latch, long since) {
        }

        /** Starts listening, and waits (a few seconds at most) until the stream is open or known to be missing. */
        void start() throws InterruptedException {
            Thread listening = new Thread(this::listen, "bench-end-stream");
            listening.setDaemon(true);
            listening.start();
            Thread checking = new Thread(this, "bench-end-watcher");
            checking.setDaemon(true);
            checking.start();
            connected.await(10, TimeUnit.SECONDS);
        }

        void awaitEnd(String id, Instant until) {
            Waiter waiter;
            synchronized (this) {
                if (early.remove(id) != null) {
                    return;
                }
                waiter = new Waiter(new CountDownLatch(1), System.currentTimeMillis());
                waiting.put(id, waiter);
            }
            try {
                waiter.latch().await(Math.max(0, Duration.between(Instant.now(), until).toMillis()),
                        TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                synchronized (this) {
                    waiting.remove(id);
                }
            }
        }

        private synchronized void ended(String id) {
            Waiter waiter = waiting.remove(id);
            if (waiter != null) {
                waiter.latch().countDown();
            } else {
                early.put(id, System.currentTimeMillis());
            }
        }

        private void listen() {
            while (!stopped) {
                try {
                    system.listen("/checkouts/ended", () -> {
                        streaming = true;
                        connected.countDown();
                    }, event -> {
                        if (event.name().equals("ended") && event.id() != null) {
                            ended(event.id());
                        }
                    });
                } catch (RuntimeException e) {
                    if (!streaming) {
                        connected.countDown(); // no stream here: the watcher polls
                        return;
                    }
                }
                // The stream ended (its lifetime is over, or the system dropped it): connect again.
                sleep(100);
            }
        }

        @Override
        public void run() {
            while (!stopped) {
                sleep(streaming ? CHECK_MILLIS : POLL_MILLIS);
                long now = System.currentTimeMillis();
                boolean overdue;
                synchronized (this) {
                    early.values().removeIf(at -> now - at > KEEP_EARLY_MILLIS);
                    overdue = streaming ? waiting.values().stream().anyMatch(w -> now - w.since() >= CHECK_MILLIS)
                            : !waiting.isEmpty();
                }
                if (overdue) {
                    try {
                        poll();
                    } catch (RuntimeException e) {
                        // the next turn tries again
                    }
                }
            }
        }

        private void poll() {
            SystemClient.Response page = system.get("/checkouts?status=RUNNING&size=" + PAGE);
            if (page.status() != 200) {
                return;
            }
            Set<String> running = new HashSet<>();
            page.body().path("items").forEach(c -> running.add(c.path("id").asText()));
            boolean complete = page.body().path("totalItems").asLong() <= PAGE;
            List<String> ids;
            synchronized (this) {
                ids = new ArrayList<>(waiting.keySet());
            }
            for (String id : ids) {
                // Absent from a complete list of the running ones means ended; from a partial one, ask.
                if (!running.contains(id) && (complete || isEnded(system, id))) {
                    synchronized (this) {
                        Waiter waiter = waiting.remove(id);
                        if (waiter != null) {
                            waiter.latch().countDown();
                        }
                    }
                }
            }
        }

        private static boolean isEnded(SystemClient system, String id) {
            SystemClient.Response checkout = system.get("/checkouts/" + id + "?participants=false");
            return checkout.status() == 200 && !"RUNNING".equals(checkout.body().path("status").asText());
        }

        /** Whether the ends come from the stream (or, false, from polling). */
        boolean streaming() {
            return streaming;
        }

        void stop() {
            stopped = true;
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Map<String, Object> body(Random random, List<String> plenty, String scarce) {
        List<Map<String, Object>> lines = new ArrayList<>();
        int count = random.nextDouble() < 0.33 ? 2 + random.nextInt(2) : 1;
        List<String> shuffled = new ArrayList<>(plenty);
        Collections.shuffle(shuffled, random);
        for (int i = 0; i < count; i++) {
            lines.add(Map.of("productId", shuffled.get(i), "quantity", 1 + random.nextInt(3)));
        }
        if (random.nextDouble() < 0.10) {
            lines.set(lines.size() - 1, Map.of("productId", scarce, "quantity", 1));
        }
        return Map.of("customerId", "bench-" + random.nextInt(1000), "lines", lines);
    }

    /**
     * Waits for the measured checkouts to end and returns what it saw. The first round lists the checkouts created
     * since shortly before the window (not every checkout the system holds: that made the read-out quadratic in the
     * run's length); a measured checkout the listing did not show (a clock apart from the target's by more than the
     * margin) is then asked for on its own, and so is each one still running once few are.
     */
    private List<Sample> await(Map<String, Long> sentAt, Instant measureFrom, Instant until)
            throws InterruptedException {
        Map<String, Sample> samples = new LinkedHashMap<>();
        String listing = "/checkouts?since=" + measureFrom.minus(CLOCK_MARGIN);
        boolean listed = false;
        while (true) {
            Set<String> pending = new HashSet<>(sentAt.keySet());
            pending.removeAll(samples.keySet());
            if (pending.isEmpty() || Instant.now().isAfter(until)) {
                sentAt.forEach((id, at) -> samples.putIfAbsent(id, new Sample(id, at, null, "RUNNING")));
                return new ArrayList<>(samples.values());
            }
            if (!listed || pending.size() > ASK_ONE_BY_ONE) {
                for (JsonNode checkout : system.all(listing, 500)) {
                    pending.remove(checkout.path("id").asText());
                    record(samples, sentAt, checkout);
                }
                listed = true;
            }
            // Left: those the listing did not show, or, once few are running, each of them.
            for (String id : pending) {
                SystemClient.Response checkout = system.get("/checkouts/" + id + "?participants=false");
                if (checkout.ok()) {
                    record(samples, sentAt, checkout.body());
                }
            }
            if (samples.size() < sentAt.size()) {
                out.printf("draining: %d of %d measured checkouts ended%n", samples.size(), sentAt.size());
                Thread.sleep(2000);
            }
        }
    }

    private static void record(Map<String, Sample> samples, Map<String, Long> sentAt, JsonNode checkout) {
        String id = checkout.path("id").asText();
        Long at = sentAt.get(id);
        if (at != null && !"RUNNING".equals(checkout.path("status").asText())) {
            samples.put(id, new Sample(id, at, Instant.parse(checkout.path("endedAt").asText()).toEpochMilli(),
                    checkout.path("status").asText()));
        }
    }

    private Result result(String label, List<Sample> samples, long sent, long sentInWindow, long refused, long errors,
                          Instant measureFrom,
                          Long cpuBefore, Long cpuAfter, Duration warmedUp, long[] cpuAtMiddle, Machine machine) {
        long from = measureFrom.toEpochMilli();
        long to = from + settings.measure().toMillis();
        Map<String, Long> outcomes = new LinkedHashMap<>();
        List<Long> latencies = new ArrayList<>();
        for (Sample s : samples) {
            outcomes.merge(s.status(), 1L, Long::sum);
            if (s.endedAtMillis() != null) {
                latencies.add(s.endedAtMillis() - s.sentAtMillis());
            }
        }
        // The window's counts are its seconds' counts.
        List<long[]> perSecond = perSecond(samples, from, to);
        long completedInWindow = perSecond.stream().mapToLong(second -> second[1]).sum();
        long endedInWindow = completedInWindow + perSecond.stream().mapToLong(second -> second[2]).sum();
        Collections.sort(latencies);
        Map<String, Long> percentiles = new LinkedHashMap<>();
        percentiles.put("p50", percentile(latencies, 0.50));
        percentiles.put("p90", percentile(latencies, 0.90));
        percentiles.put("p99", percentile(latencies, 0.99));
        percentiles.put("p99.9", percentile(latencies, 0.999));
        percentiles.put("max", latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1));
        double window = settings.measure().toMillis() / 1000.0;
        Double cpu = cpuBefore == null || cpuAfter == null ? null : (cpuAfter - cpuBefore) / 1000.0;
        return new Result(label, settings, sent, sentInWindow, samples.size(), refused, errors, outcomes,
                completedInWindow / window,
                endedInWindow / window, percentiles, cpu, perSecond, latencies,
                steadiness(samples, from, to, cpuBefore, cpuAtMiddle, cpuAfter), warmedUp, machine);
    }

    /**
     * Each second of the window from {@code from} to {@code to} (the last one shorter if the window is not whole
     * seconds): {@code {second, completed, compensated, p99 ms, max ms}} of the checkouts that ended in it, so that a
     * stall shows when it came.
     */
    static List<long[]> perSecond(List<Sample> samples, long from, long to) {
        int seconds = (int) ((to - from + 999) / 1000);
        List<long[]> perSecond = new ArrayList<>();
        List<List<Long>> latencies = new ArrayList<>();
        for (int i = 0; i < seconds; i++) {
            perSecond.add(new long[] {i, 0, 0, 0, 0});
            latencies.add(new ArrayList<>());
        }
        for (Sample s : samples) {
            if (s.endedAtMillis() != null && s.endedAtMillis() >= from && s.endedAtMillis() < to) {
                int second = (int) ((s.endedAtMillis() - from) / 1000);
                latencies.get(second).add(s.endedAtMillis() - s.sentAtMillis());
                perSecond.get(second)["COMPLETED".equals(s.status()) ? 1 : 2]++;
            }
        }
        for (int i = 0; i < seconds; i++) {
            List<Long> inSecond = latencies.get(i);
            Collections.sort(inSecond);
            perSecond.get(i)[3] = percentile(inSecond, 0.99);
            perSecond.get(i)[4] = inSecond.isEmpty() ? 0 : inSecond.get(inSecond.size() - 1);
        }
        return perSecond;
    }

    /**
     * @param cpuAtMiddle when the middle of the window was read and the CPU then ({@code [millis, cpu]}), or null:
     *                    then the halves are cut at the middle and their CPU is unknown
     */
    static Steadiness steadiness(List<Sample> samples, long from, long to, Long cpuBefore, long[] cpuAtMiddle,
                                 Long cpuAfter) {
        long middle = cpuAtMiddle == null ? from + (to - from) / 2 : cpuAtMiddle[0];
        List<Long> first = new ArrayList<>();
        List<Long> second = new ArrayList<>();
        for (Sample s : samples) {
            if (s.endedAtMillis() != null && s.endedAtMillis() >= from && s.endedAtMillis() < to) {
                (s.endedAtMillis() < middle ? first : second).add(s.endedAtMillis() - s.sentAtMillis());
            }
        }
        Collections.sort(first);
        Collections.sort(second);
        Double firstCpu = null;
        Double secondCpu = null;
        if (cpuBefore != null && cpuAtMiddle != null && cpuAfter != null && !first.isEmpty() && !second.isEmpty()) {
            firstCpu = (double) (cpuAtMiddle[1] - cpuBefore) / first.size();
            secondCpu = (double) (cpuAfter - cpuAtMiddle[1]) / second.size();
        }
        return new Steadiness(first.size() / ((middle - from) / 1000.0), percentile(first, 0.50),
                percentile(first, 0.99), second.size() / ((to - middle) / 1000.0), percentile(second, 0.50),
                percentile(second, 0.99), firstCpu, secondCpu);
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    /**
     * Writes results.json, latencies.csv, throughput.csv (checkouts ended in each second of the window, completed
     * and compensated, with the p99 and the longest latency of those) and report.html (the latency histogram and the
     * throughput per second, drawn).
     */
    public static void write(Path dir, List<Result> results) throws IOException {
        Files.createDirectories(dir);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        List<Map<String, Object>> summaries = new ArrayList<>();
        StringBuilder csv = new StringBuilder("run,latency_ms\n");
        StringBuilder perSecond = new StringBuilder("run,second,completed,compensated,p99_ms,max_ms\n");
        StringBuilder html = new StringBuilder("<!doctype html><meta charset=utf-8><title>Checkout benchmark</title>"
                + "<style>body{font:14px system-ui;margin:20px}svg{border:1px solid #ccc;margin:6px 0}</style>"
                + "<h1>Checkout benchmark</h1>");
        for (Result r : results) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("run", r.label());
            summary.put("settings", Map.of("rate", r.settings().rate(), "clients", r.settings().clients(),
                    "warmup", r.settings().untilCompilerSettles() ? "auto, at most " + r.settings().warmup()
                            : r.settings().warmup().toString(), "measure", r.settings().measure().toString()));
            summary.put("warmedUp", r.warmedUp().toString());
            summary.put("completedPerSecond", r.completedPerSecond());
            summary.put("endedPerSecond", r.endedPerSecond());
            summary.put("steadiness", r.steadiness());
            summary.put("latencyMillis", r.latencyMillis());
            summary.put("outcomes", r.outcomes());
            summary.put("sent", r.sent());
            summary.put("sentPerSecondInWindow", r.sentPerSecondInWindow());
            summary.put("accepted", r.accepted());
            summary.put("refused", r.refused());
            summary.put("errors", r.errors());
            summary.put("cpuSeconds", r.cpuSeconds());
            summary.put("cpuMillisPerCheckout", r.cpuMillisPerCheckout());
            summary.put("machine", r.machine());
            summaries.add(summary);
            r.latencies().forEach(l -> csv.append(r.label()).append(',').append(l).append('\n'));
            r.throughputPerSecond().forEach(second -> perSecond.append(r.label()).append(',').append(second[0])
                    .append(',').append(second[1]).append(',').append(second[2]).append(',').append(second[3])
                    .append(',').append(second[4]).append('\n'));
            html.append("<h2>").append(r.label()).append("</h2><p>").append(String.format(Locale.ROOT,
                    "%.1f completed/s; latency %s", r.completedPerSecond(), r.latencyMillis())).append("</p>");
            html.append(histogram(r.latencies())).append(throughput(r.throughputPerSecond()));
        }
        json.writeValue(dir.resolve("results.json").toFile(), summaries);
        Files.writeString(dir.resolve("latencies.csv"), csv);
        Files.writeString(dir.resolve("throughput.csv"), perSecond);
        Files.writeString(dir.resolve("report.html"), html);
    }

    private static String histogram(List<Long> latencies) {
        int bins = 40;
        long max = latencies.isEmpty() ? 1 : Math.max(1, latencies.get(latencies.size() - 1));
        long[] counts = new long[bins];
        latencies.forEach(l -> counts[(int) Math.min(bins - 1, l * bins / (max + 1))]++);
        long top = 1;
        for (long c : counts) {
            top = Math.max(top, c);
        }
        StringBuilder svg = new StringBuilder("<div>latency histogram, 0 to " + max + " ms</div>"
                + "<svg width=820 height=160>");
        for (int i = 0; i < bins; i++) {
            long h = counts[i] * 150 / top;
            svg.append(String.format(Locale.ROOT, "<rect x=%d y=%d width=18 height=%d fill='#0969da'/>", 10 + i * 20,
                    155 - h, h));
        }
        return svg.append("</svg>").toString();
    }

    private static String throughput(List<long[]> perSecond) {
        long top = 1;
        for (long[] s : perSecond) {
            top = Math.max(top, s[1] + s[2]);
        }
        int width = Math.max(1, 800 / Math.max(1, perSecond.size()));
        StringBuilder svg = new StringBuilder("<div>checkouts ended per second (green completed, red compensated),"
                + " peak " + top + "</div><svg width=820 height=160>");
        for (long[] s : perSecond) {
            long ok = s[1] * 150 / top;
            long bad = s[2] * 150 / top;
            svg.append(String.format(Locale.ROOT, "<rect x=%d y=%d width=%d height=%d fill='#1a7f37'/>",
                    10 + s[0] * width, 155 - ok, Math.max(1, width - 1), ok));
            svg.append(String.format(Locale.ROOT, "<rect x=%d y=%d width=%d height=%d fill='#cf222e'/>",
                    10 + s[0] * width, 155 - ok - bad, Math.max(1, width - 1), bad));
        }
        return svg.append("</svg>").toString();
    }
}
