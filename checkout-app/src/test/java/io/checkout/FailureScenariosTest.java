package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The failure-injection suite, in one JVM: each scenario switches faults on through {@code /admin/faults}, drives
 * checkouts through the HTTP API, waits for every saga to end and ends with the invariant auditor.
 * Process crashes are in {@link ProcessCrashTest}; the last-units property in {@link LastUnitsPropertyTest}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FailureScenariosTest {

    private static final String ADMIN = "Basic " + Base64.getEncoder()
            .encodeToString("admin:chaos".getBytes(StandardCharsets.UTF_8));

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TempDataDir.register(registry, "checkout-failure-test");
        registry.add("checkout.admin.password", () -> "chaos");
        registry.add("checkout.saga.step-timeout", () -> "3s");
        // Five attempts must fit in the 3 s step timeout: their backoffs (50 + 100 + 200 + 400 ms), a retry's
        // deadline waiting for db-scheduler's next poll (up to 500 ms by default, here 100 ms) and about 300 ms of
        // round trip each. With 100 ms backoffs and the default poll one run of five took 3.1 s and failed.
        registry.add("checkout.saga.retry-backoff", () -> "50ms");
        registry.add("db-scheduler.polling-interval", () -> "100ms");
        registry.add("checkout.saga.compensation-backoff", () -> "200ms");
        registry.add("checkout.saga.max-compensation-backoff", () -> "1s");
    }

    @LocalServerPort
    int port;

    private Api api;
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    @AfterEach
    void clearFaultsAndAudit() {
        clearFaults();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                api.get("/checkouts/stats").body().path("counts").path("RUNNING").asLong() == 0);
        Audits.assertInvariantsHold(port, accepted);
    }

    private void fault(String point, String action, Map<String, Object> extra) {
        Map<String, Object> rule = new LinkedHashMap<>(extra);
        rule.put("point", point);
        rule.put("action", action);
        String json = rule.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":" + (e.getValue() instanceof String v ? "\"" + v + "\"" : e.getValue()))
                .collect(java.util.stream.Collectors.joining(",", "{", "}"));
        Api.Response added = api.post("/admin/faults", json, Map.of("Authorization", ADMIN));
        assertThat(added.status()).as(added.text()).isEqualTo(201);
    }

    private void clearFaults() {
        api.send("DELETE", "/admin/faults", Map.of("Authorization", ADMIN));
    }

    private long fired() {
        JsonNode rules = api.getWith("/admin/faults", Map.of("Authorization", ADMIN)).body();
        return StreamSupport.stream(rules.spliterator(), false).mapToLong(r -> r.path("fired").asLong()).sum();
    }

    private JsonNode checkout(String... lines) {
        String id = api.checkout("scenario", lines);
        accepted.add(id);
        return api.awaitEnded(id);
    }

    /** A product with 10 in stock, a checkout of 3 of it that completed, and one of 2 that was compensated. */
    private record Ended(String product, JsonNode completed, JsonNode compensated) {
    }

    /** Duplicates at every point given, then a checkout that completes and one compensated for its second line. */
    private Ended completedAndCompensatedUnderDuplicates(String... points) {
        String product = api.createProduct("Twice", "1.00", 10);
        String none = api.createProduct("Nothing", "1.00", 0);
        for (String point : points) {
            fault(point, "DUPLICATE", Map.of());
        }
        JsonNode completed = checkout(product + ":3");
        JsonNode compensated = checkout(product + ":2", none + ":1");
        assertThat(completed.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(compensated.path("status").asText()).isEqualTo("FAILED");
        return new Ended(product, completed, compensated);
    }

    @Test
    void faultRulesNeedTheAdminAndAreValidated() {
        assertThat(api.post("/admin/faults", "{\"point\":\"ReserveStockCommand\",\"action\":\"FAIL\"}").status())
                .isEqualTo(401);
        Api.Response invalid = api.post("/admin/faults", "{\"point\":\"database\",\"action\":\"DUPLICATE\"}",
                Map.of("Authorization", ADMIN));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.body().path("detail").asText()).contains("The database point takes FAIL or DELAY");
        assertThat(api.getWith("/admin/faults", Map.of("Authorization", ADMIN)).body()).isEmpty();
    }

    @Test
    void notEnoughStock() {
        String product = api.createProduct("Few", "1.00", 2);

        JsonNode ended = checkout(product + ":3");

        assertThat(ended.path("status").asText()).isEqualTo("FAILED");
        assertThat(api.product(product).path("stock").asInt()).isEqualTo(2);
    }

    @Test
    void unknownProduct() {
        String known = api.createProduct("Known", "1.00", 5);

        JsonNode ended = checkout(known + ":2", "missing-product:1");

        assertThat(ended.path("reason").asText()).isEqualTo("Unknown product missing-product");
        assertThat(api.product(known).path("reserved").asInt()).isZero();
    }

    @Test
    void secondOfThreeLinesRejected() {
        String first = api.createProduct("A", "1.00", 5);
        String second = api.createProduct("B", "1.00", 0);
        String third = api.createProduct("C", "1.00", 5);

        JsonNode ended = checkout(first + ":1", second + ":1", third + ":1");

        assertThat(ended.path("status").asText()).isEqualTo("FAILED");
        assertThat(api.product(first).path("reserved").asInt()).isZero();
        assertThat(api.product(third).path("reserved").asInt()).isZero();
    }

    @Test
    void productServiceFailingTransientlyThenRecovering() {
        String product = api.createProduct("Flaky", "1.00", 5);
        fault("ReserveStockCommand", "FAIL", Map.of("matching", product, "limit", 2));

        JsonNode ended = checkout(product + ":1");

        assertThat(ended.path("status").asText()).isEqualTo("COMPLETED");
        api.awaitTimeline(ended.path("id").asText(), t -> assertThat(t).containsSubsequence("RESERVE_STOCK FAILED",
                "RESERVE_STOCK RETRIED", "RESERVE_STOCK FAILED", "RESERVE_STOCK RETRIED", "RESERVE_STOCK SUCCEEDED"));
        assertThat(fired()).isEqualTo(2);
    }

    @Test
    void productServiceFailingPermanently() {
        String held = api.createProduct("Fine", "1.00", 5);
        String down = api.createProduct("Down", "1.00", 5);
        fault("ReserveStockCommand", "FAIL", Map.of("matching", down));

        JsonNode ended = checkout(held + ":2", down + ":1");

        assertThat(ended.path("status").asText()).isEqualTo("FAILED");
        assertThat(ended.path("reason").asText()).contains("failed after 5 attempts");
        assertThat(api.product(held).path("reserved").asInt()).isZero();
    }

    @Test
    void approvalFailingAfterEveryLineWasReserved() {
        String product = api.createProduct("Unapproved", "1.00", 5);
        fault("ApproveOrderCommand", "FAIL_PERMANENT", Map.of());

        JsonNode ended = checkout(product + ":3");

        assertThat(ended.path("status").asText()).isEqualTo("FAILED");
        assertThat(ended.path("failedStep").asText()).isEqualTo("APPROVE_ORDER");
        api.awaitTimeline(ended.path("id").asText(), t -> assertThat(t).containsSubsequence(
                "RESERVE_STOCK SUCCEEDED", "APPROVE_ORDER FAILED", "CANCEL_ORDER SUCCEEDED", "RELEASE_STOCK SUCCEEDED"));
        assertThat(api.product(product).path("stock").asInt()).isEqualTo(5);
    }

    @Test
    void compensationFailingSeveralTimesBeforeItSucceeds() {
        String held = api.createProduct("Held", "1.00", 5);
        String none = api.createProduct("None", "1.00", 0);
        fault("ReleaseStockCommand", "FAIL", Map.of("matching", held, "limit", 3));

        JsonNode ended = checkout(held + ":2", none + ":1");

        assertThat(ended.path("status").asText()).isEqualTo("FAILED");
        api.awaitTimeline(ended.path("id").asText(), t -> {
            assertThat(t).contains("RELEASE_STOCK SUCCEEDED");
            assertThat(t.stream().filter(s -> s.equals("RELEASE_STOCK FAILED"))).hasSize(3);
        });
        assertThat(api.product(held).path("reserved").asInt()).isZero();
        assertThat(api.product(held).path("stock").asInt()).isEqualTo(5);
    }

    @Test
    void duplicatedReserveAndReleaseCommands() {
        Ended ended = completedAndCompensatedUnderDuplicates("ReserveStockCommand", "ReleaseStockCommand");

        assertThat(fired()).isGreaterThanOrEqualTo(3);
        assertThat(api.product(ended.product()).path("reserved").asInt()).isEqualTo(3);
        assertThat(api.product(ended.product()).path("stock").asInt()).isEqualTo(7);
    }

    /**
     * Every command delivered twice, the second time once the first has committed: the ones that create their
     * aggregate without looking for it (a checkout without an Idempotency-Key, the saga's first create of an order)
     * are refused the second time by the event store, and the others find their work done.
     */
    @Test
    void everyCommandDeliveredTwice() {
        Ended ended = completedAndCompensatedUnderDuplicates("*");

        assertThat(api.product(ended.product()).path("reserved").asInt()).isEqualTo(3);
        assertThat(api.product(ended.product()).path("stock").asInt()).isEqualTo(7);
        assertThat(api.get("/orders/" + ended.completed().path("orderId").asText()).body().path("status").asText())
                .isEqualTo("APPROVED");
        assertThat(api.get("/orders/" + ended.compensated().path("orderId").asText()).body().path("status").asText())
                .isEqualTo("CANCELLED");
    }

    @Test
    void duplicatedEventsToTheSaga() {
        Ended ended = completedAndCompensatedUnderDuplicates("CheckoutSagaProcessor:*");

        api.awaitTimeline(ended.completed().path("id").asText(),
                t -> assertThat(t).containsOnlyOnce("APPROVE_ORDER SENT"));
        assertThat(api.product(ended.product()).path("reserved").asInt()).isEqualTo(3);
    }

    @Test
    void sagaHandlingFailingTransiently() {
        String product = api.createProduct("Hiccup", "1.00", 10);
        fault("CheckoutSagaProcessor:StockReservedEvent", "FAIL", Map.of("matching", product, "limit", 1));

        JsonNode ended = checkout(product + ":1");

        assertThat(ended.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(fired()).isEqualTo(1);
    }

    @Test
    void reservationArrivingAfterTheStepDeadlineFired() {
        String product = api.createProduct("Late", "1.00", 10);
        fault("ReserveStockCommand", "DELAY", Map.of("matching", product, "delayMillis", 4500));

        JsonNode ended = checkout(product + ":2");

        assertThat(ended.path("status").asText()).isEqualTo("FAILED");
        assertThat(ended.path("reason").asText()).startsWith("RESERVE_STOCK timed out");
        // the late reserve was either rejected (its release came first) or reserved and then released
        await().atMost(Duration.ofSeconds(10)).until(() ->
                api.get("/products/" + product + "/reservations").body().findValuesAsText("state").stream()
                        .noneMatch(s -> s.equals("RESERVED")) && api.product(product).path("stock").asInt() == 10);
    }

    @Test
    void lostReserveIsCompensatedAtTheDeadline() {
        String product = api.createProduct("Lost", "1.00", 10);
        fault("ReserveStockCommand", "DROP", Map.of("matching", product));

        JsonNode ended = checkout(product + ":2");

        assertThat(ended.path("status").asText()).isEqualTo("FAILED");
        assertThat(api.product(product).path("stock").asInt()).isEqualTo(10);
    }

    @Test
    void failureWhoseReplyIsLostIsCompensatedAtTheDeadline() {
        String known = api.createProduct("Replied", "1.00", 10);
        fault("ReserveStockCommand", "DROP_REPLY", Map.of("matching", "ghost-product"));

        JsonNode ended = checkout(known + ":1", "ghost-product:1");

        // the reserve of the unknown product failed, but the saga never heard: its deadline ended the step
        assertThat(ended.path("status").asText()).isEqualTo("FAILED");
        assertThat(ended.path("reason").asText()).startsWith("RESERVE_STOCK timed out");
        assertThat(api.product(known).path("reserved").asInt()).isZero();
    }

    @Test
    void databaseUnreachableForAWhileUnderLoad() throws Exception {
        String product = api.createProduct("Durable", "1.00", 1000);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<Api.Response>> sent = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                if (i == 10) {
                    fault("database", "FAIL", Map.of());
                }
                if (i == 30) {
                    clearFaults();
                }
                sent.add(clients.submit(() -> api.post("/checkouts", Api.checkoutBody("db", product + ":1"))));
                Thread.sleep(50);
            }
        } finally {
            clearFaults();
            clients.shutdown();
        }
        int refused = 0;
        for (Future<Api.Response> future : sent) {
            Api.Response response = future.get();
            if (response.status() == 202) {
                accepted.add(response.body().path("id").asText());
            } else {
                refused++;
                assertThat(response.status()).as(response.text()).isIn(500, 503);
                assertThat(response.contentType()).startsWith("application/problem+json");
                assertThat(response.text()).doesNotContain("Exception", "at org.", "at io.");
            }
        }
        assertThat(refused).as("requests refused while the database was away").isPositive();
        assertThat(accepted).isNotEmpty();
        accepted.forEach(api::awaitEnded);
        long held = accepted.stream().map(id -> api.get("/checkouts/" + id).body())
                .filter(c -> c.path("status").asText().equals("COMPLETED")).count();
        assertThat(api.product(product).path("reserved").asLong()).isEqualTo(held);
    }

    @Test
    void idempotencyKeyReplaysConflictsAndConcurrentRetries() throws Exception {
        String product = api.createProduct("Keyed", "1.00", 100);
        String body = Api.checkoutBody("keyed", product + ":2");
        ExecutorService clients = Executors.newFixedThreadPool(6);
        List<Callable<Api.Response>> retries = IntStream.range(0, 12)
                .<Callable<Api.Response>>mapToObj(i -> () -> api.post("/checkouts", body,
                        Map.of("Idempotency-Key", "scenario-key"))).toList();
        List<String> ids = new ArrayList<>();
        try {
            for (Future<Api.Response> response : clients.invokeAll(retries)) {
                assertThat(response.get().status()).isEqualTo(202);
                ids.add(response.get().body().path("id").asText());
            }
        } finally {
            clients.shutdown();
        }
        assertThat(ids.stream().distinct()).hasSize(1);
        accepted.add(ids.get(0));
        assertThat(api.post("/checkouts", Api.checkoutBody("keyed", product + ":3"),
                Map.of("Idempotency-Key", "scenario-key")).status()).isEqualTo(422);

        api.awaitEnded(ids.get(0));

        assertThat(api.product(product).path("reserved").asInt()).isEqualTo(2);
    }
}
