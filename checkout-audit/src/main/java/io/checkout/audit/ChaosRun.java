package io.checkout.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives checkouts over HTTP against a running system for a while, with a mix of faults switched on, then waits
 * for every saga to end, audits the invariants and reports. The workload: one to three lines of random products;
 * a share of lines asking for more than there is (compensated), a share naming an unknown product, and a share of
 * requests sent twice with the same Idempotency-Key.
 */
public class ChaosRun {

    /**
     * @param duration     how long to send checkouts
     * @param concurrency  how many clients send at once (each waits for its answer)
     * @param rate         at most this many checkouts a second, all clients together (0: as fast as they can)
     * @param faultRate    the chance each fault of the mix fires at its point (0 switches faults off)
     * @param seed         seeds the workload and the faults, so that a run can be repeated
     * @param products     how many products to create
     * @param stock        each product's initial stock
     * @param settle       how long to wait, after sending, for every saga to end
     */
    public record Settings(Duration duration, int concurrency, double rate, double faultRate, long seed,
                           int products, int stock, Duration settle) {
    }

    /** The numbers of a run; {@link #violations()} must be empty. */
    public record Report(Duration sent, long requests, long accepted, Map<Integer, Long> refused, long completed,
                         long failed, long stillRunning, Map<String, Long> compensationsByStep,
                         Map<String, Long> faultsFired, Map<String, Long> latencyMillis, double completedPerSecond,
                         List<Violation> violations) {

        public void print(PrintStream out) {
            out.println();
            out.println("== chaos run report ==");
            out.printf(Locale.ROOT, "sent for %d s: %d requests, %d accepted, refused by status %s%n",
                    sent.toSeconds(), requests, accepted, refused);
            out.printf(Locale.ROOT, "outcomes of accepted checkouts: %d COMPLETED, %d FAILED (compensated), %d RUNNING%n",
                    completed, failed, stillRunning);
            out.printf(Locale.ROOT, "checkouts ended per second while sending: %.1f%n", completedPerSecond);
            out.println("compensations by failed step: " + compensationsByStep);
            out.println("faults fired: " + faultsFired);
            out.println("latency, request to saga end (ms): " + latencyMillis);
            out.println("invariant violations: " + violations.size());
            violations.forEach(v -> out.println("  " + v));
        }
    }

    private final SystemClient system;
    private final Settings settings;
    private final PrintStream out;

    public ChaosRun(SystemClient system, Settings settings, PrintStream out) {
        this.system = system;
        this.settings = settings;
        this.out = out;
    }

    public Report run() throws InterruptedException {
        Random random = new Random(settings.seed());
        List<String> products = createProducts(random);
        List<String> faultIds = settings.faultRate() > 0 ? switchFaultsOn() : List.of();

        Set<String> accepted = ConcurrentHashMap.newKeySet();
        Map<Integer, AtomicLong> refused = new ConcurrentHashMap<>();
        List<Violation> clientViolations = Collections.synchronizedList(new ArrayList<>());
        AtomicLong requests = new AtomicLong();
        Instant start = Instant.now();
        Pacer pacer = new Pacer(start, settings.rate());
        Instant end = start.plus(settings.duration());
        ExecutorService clients = Executors.newFixedThreadPool(settings.concurrency());
        for (int c = 0; c < settings.concurrency(); c++) {
            long clientSeed = random.nextLong();
            clients.submit(() -> {
                Random own = new Random(clientSeed);
                while (Instant.now().isBefore(end)) {
                    if (!pacer.awaitTurn()) {
                        return;
                    }
                    sendOne(own, products, requests, accepted, refused, clientViolations);
                }
            });
        }
        clients.shutdown();
        while (!clients.awaitTermination(5, TimeUnit.SECONDS)) {
            progress("sending", start, requests.get(), accepted.size(), refused);
        }
        Duration sent = Duration.between(start, Instant.now());

        Map<String, Long> fired = new LinkedHashMap<>();
        if (!faultIds.isEmpty()) {
            for (JsonNode fault : system.require(system.adminGet("/admin/faults"), "/admin/faults")) {
                fired.merge(fault.path("rule").path("point").asText() + " " + fault.path("rule").path("action").asText(),
                        fault.path("fired").asLong(), Long::sum);
            }
            system.adminDelete("/admin/faults");
            out.println("faults switched off; waiting for every saga to end");
        }
        Instant settleEnd = Instant.now().plus(settings.settle());
        while (running() > 0 && Instant.now().isBefore(settleEnd)) {
            progress("settling", start, requests.get(), accepted.size(), refused);
            Thread.sleep(2000);
        }

        Snapshot snapshot = Snapshot.read(system);
        List<Violation> violations = new ArrayList<>(clientViolations);
        violations.addAll(new Auditor(Auditor.Settings.strict()).audit(snapshot, accepted));
        return report(snapshot, accepted, sent, requests.get(), refused, fired, violations);
    }

    private List<String> createProducts(Random random) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < settings.products(); i++) {
            JsonNode product = system.require(system.post("/products", Map.of("name", "chaos-" + i,
                    "price", (1 + random.nextInt(5000)) / 100.0, "stock", settings.stock()), Map.of()), "/products");
            ids.add(product.path("id").asText());
        }
        out.printf("created %d products of %d units%n", ids.size(), settings.stock());
        return ids;
    }

    /**
     * The fault mix: failures, duplicates and delays at every step, lost reserves more rarely. Failures of the
     * saga's own event handling are left out of the mix: Axon's tracking processor answers each one by pausing the
     * whole segment, from 1 s doubling to 60 s, which under load stalls every checkout; the suite tests that fault
     * on its own.
     */
    private List<String> switchFaultsOn() {
        double p = settings.faultRate();
        List<Map<String, Object>> mix = List.of(
                fault("CreateOrderCommand", "FAIL", p), fault("ReserveStockCommand", "FAIL", p),
                fault("ApproveOrderCommand", "FAIL", p), fault("CancelOrderCommand", "FAIL", p),
                fault("ReleaseStockCommand", "FAIL", p), fault("ReserveStockCommand", "DUPLICATE", p),
                fault("ReleaseStockCommand", "DUPLICATE", p), fault("CheckoutSagaProcessor:*", "DUPLICATE", p),
                fault("CreateOrderCommand", "DELAY", p), fault("ReserveStockCommand", "DROP", p / 10));
        List<String> ids = new ArrayList<>();
        long seed = settings.seed();
        for (Map<String, Object> rule : mix) {
            Map<String, Object> seeded = new LinkedHashMap<>(rule);
            seeded.put("seed", seed++);
            ids.add(system.require(system.adminPost("/admin/faults", seeded), "/admin/faults").path("id").asText());
        }
        out.printf(Locale.ROOT, "switched on %d faults at %.0f%% each (lost reserves at %.1f%%)%n",
                ids.size(), p * 100, p * 10);
        return ids;
    }

    private static Map<String, Object> fault(String point, String action, double probability) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("point", point);
        rule.put("action", action);
        rule.put("probability", probability);
        if (action.equals("DELAY")) {
            rule.put("delayMillis", 200);
        }
        return rule;
    }

    private void sendOne(Random random, List<String> products, AtomicLong requests, Set<String> accepted,
                         Map<Integer, AtomicLong> refused, List<Violation> violations) {
        List<Map<String, Object>> lines = new ArrayList<>();
        Set<String> chosen = new LinkedHashSet<>();
        int count = 1 + random.nextInt(3);
        while (chosen.size() < count) {
            chosen.add(products.get(random.nextInt(products.size())));
        }
        for (String product : chosen) {
            int quantity = random.nextDouble() < 0.05 ? Math.min(settings.stock() + 1, 10_000) : 1 + random.nextInt(3);
            lines.add(Map.of("productId", product, "quantity", quantity));
        }
        if (random.nextDouble() < 0.02) {
            lines.add(Map.of("productId", "unknown-" + random.nextInt(1000), "quantity", 1));
        }
        Map<String, Object> body = Map.of("customerId", "chaos-" + random.nextInt(100), "lines", lines);
        String key = UUID.randomUUID().toString();
        boolean replay = random.nextDouble() < 0.05;
        String first = send(body, key, requests, accepted, refused);
        if (replay && first != null) {
            String again = send(body, key, requests, accepted, refused);
            if (again != null && !again.equals(first)) {
                violations.add(new Violation("I4", "Idempotency-Key " + key, "gave checkout " + first + " and then "
                        + again));
            }
        }
    }

    private String send(Map<String, Object> body, String key, AtomicLong requests, Set<String> accepted,
                        Map<Integer, AtomicLong> refused) {
        requests.incrementAndGet();
        try {
            SystemClient.Response response = system.post("/checkouts", body, Map.of("Idempotency-Key", key));
            if (response.ok()) {
                String id = response.body().path("id").asText();
                accepted.add(id);
                return id;
            }
            refused.computeIfAbsent(response.status(), s -> new AtomicLong()).incrementAndGet();
        } catch (RuntimeException e) {
            refused.computeIfAbsent(0, s -> new AtomicLong()).incrementAndGet();
        }
        return null;
    }

    private long running() {
        return system.require(system.get("/checkouts/stats"), "/checkouts/stats").path("counts").path("RUNNING").asLong();
    }

    private void progress(String phase, Instant start, long requests, long accepted, Map<Integer, AtomicLong> refused) {
        JsonNode counts = system.get("/checkouts/stats").body().path("counts");
        out.printf("[%4ds] %s: %d requests, %d accepted, %s refused | running %d, completed %d, failed %d%n",
                Duration.between(start, Instant.now()).toSeconds(), phase, requests, accepted,
                refused.values().stream().mapToLong(AtomicLong::get).sum(), counts.path("RUNNING").asLong(),
                counts.path("COMPLETED").asLong(), counts.path("FAILED").asLong());
    }

    private Report report(Snapshot snapshot, Set<String> accepted, Duration sent, long requests,
                          Map<Integer, AtomicLong> refused, Map<String, Long> fired, List<Violation> violations) {
        long completed = 0;
        long failed = 0;
        long running = 0;
        Map<String, Long> compensations = new LinkedHashMap<>();
        List<Long> latencies = new ArrayList<>();
        for (JsonNode checkout : snapshot.checkouts()) {
            if (!accepted.contains(checkout.path("id").asText())) {
                continue;
            }
            switch (checkout.path("status").asText()) {
                case "COMPLETED" -> completed++;
                case "FAILED" -> {
                    failed++;
                    compensations.merge(checkout.path("failedStep").asText(), 1L, Long::sum);
                }
                default -> running++;
            }
            if (!"RUNNING".equals(checkout.path("status").asText())) {
                latencies.add(checkout.path("ageMillis").asLong());
            }
        }
        Collections.sort(latencies);
        Map<String, Long> latency = new LinkedHashMap<>();
        for (double p : new double[] {0.50, 0.90, 0.99, 0.999}) {
            latency.put("p" + (p * 100 == Math.rint(p * 100) ? String.valueOf((int) (p * 100)) : String.valueOf(p * 100)),
                    percentile(latencies, p));
        }
        latency.put("max", latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1));
        Map<Integer, Long> refusedCounts = new LinkedHashMap<>();
        refused.forEach((status, n) -> refusedCounts.put(status, n.get()));
        return new Report(sent, requests, accepted.size(), refusedCounts, completed, failed, running, compensations,
                fired, latency, (completed + failed) / Math.max(1.0, sent.toMillis() / 1000.0), violations);
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
