package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.common.Registration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The whole system in one JVM, driven only through its HTTP API. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CheckoutApiTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TempDataDir.register(registry, "checkout-api-test");
        registry.add("checkout.saga.step-timeout", () -> "10s");
    }

    @LocalServerPort
    int port;
    @Autowired
    CommandBus commandBus;

    private Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    @Test
    void completedCheckoutApprovesTheOrderAndReservesTheStock() {
        String product = api.createProduct("Widget", "9.99", 10);

        JsonNode checkout = api.awaitEnded(api.checkout("alice", product + ":3"));

        assertThat(checkout.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(checkout.path("total").decimalValue()).isEqualByComparingTo("29.97");
        JsonNode order = api.order(checkout.path("orderId").asText());
        assertThat(order.path("status").asText()).isEqualTo("APPROVED");
        assertThat(order.path("total").decimalValue()).isEqualByComparingTo("29.97");
        assertThat(order.path("lines").get(0).path("productName").asText()).isEqualTo("Widget");
        assertThat(order.path("lines").get(0).path("unitPrice").decimalValue()).isEqualByComparingTo("9.99");
        assertThat(api.product(product).path("stock").asInt()).isEqualTo(7);
        assertThat(api.product(product).path("reserved").asInt()).isEqualTo(3);
        api.awaitTimeline(checkout.path("id").asText(), t -> assertThat(t).containsSubsequence("CHECKOUT STARTED",
                "CREATE_ORDER SUCCEEDED", "RESERVE_STOCK SUCCEEDED", "APPROVE_ORDER SUCCEEDED", "CHECKOUT COMPLETED"));
    }

    @Test
    void theParticipantsAnswersAreInTheTimelineByTheTimeTheCheckoutHasEnded() {
        String product = api.createProduct("Answered", "2.00", 10);

        JsonNode checkout = api.awaitEnded(api.checkout("erin", product + ":1"));

        // In one JVM the timeline's processor commits each answer with the participant's command, before the saga
        // hears of it: no waiting (the commands' SENT entries are written a moment later, and are not asked for).
        assertThat(Api.timeline(checkout)).containsSubsequence("CHECKOUT STARTED", "CREATE_ORDER SUCCEEDED",
                "RESERVE_STOCK SUCCEEDED", "APPROVE_ORDER SUCCEEDED", "CHECKOUT COMPLETED");
    }

    @Test
    void checkoutOverStockFailsAndLeavesTheStockUntouched() {
        String product = api.createProduct("Gadget", "5.00", 2);

        JsonNode checkout = api.awaitEnded(api.checkout("bob", product + ":3"));

        assertThat(checkout.path("status").asText()).isEqualTo("FAILED");
        assertThat(checkout.path("failedStep").asText()).isEqualTo("RESERVE_STOCK");
        assertThat(checkout.path("reason").asText()).contains("Not enough stock: 2 available, 3 requested");
        assertThat(api.order(checkout.path("orderId").asText()).path("status").asText()).isEqualTo("CANCELLED");
        assertThat(api.product(product).path("stock").asInt()).isEqualTo(2);
        assertThat(api.product(product).path("reserved").asInt()).isZero();
        api.awaitTimeline(checkout.path("id").asText(), t -> assertThat(t).containsSubsequence(
                "RESERVE_STOCK REJECTED", "CHECKOUT COMPENSATING", "CANCEL_ORDER SUCCEEDED", "CHECKOUT COMPENSATED"));
    }

    @Test
    void rejectedSecondOfThreeLinesReleasesTheOthers() {
        String first = api.createProduct("First", "1.00", 5);
        String second = api.createProduct("Second", "2.00", 0);
        String third = api.createProduct("Third", "3.00", 5);

        JsonNode checkout = api.awaitEnded(api.checkout("carol", first + ":2", second + ":1", third + ":4"));

        assertThat(checkout.path("status").asText()).isEqualTo("FAILED");
        assertThat(checkout.path("reason").asText()).contains(second);
        assertThat(api.order(checkout.path("orderId").asText()).path("status").asText()).isEqualTo("CANCELLED");
        for (String product : List.of(first, third)) {
            assertThat(api.product(product).path("stock").asInt()).isEqualTo(5);
            assertThat(api.product(product).path("reserved").asInt()).isZero();
        }
    }

    @Test
    void unknownProductFailsTheCheckoutAndReleasesTheKnownOne() {
        String known = api.createProduct("Known", "1.00", 5);

        JsonNode checkout = api.awaitEnded(api.checkout("dave", known + ":1", "no-such-product:1"));

        assertThat(checkout.path("status").asText()).isEqualTo("FAILED");
        assertThat(checkout.path("reason").asText()).isEqualTo("Unknown product no-such-product");
        assertThat(api.product(known).path("stock").asInt()).isEqualTo(5);
        assertThat(api.product(known).path("reserved").asInt()).isZero();
    }

    @Test
    void concurrentCheckoutsForTheLastUnitsNeverOversell() throws Exception {
        String product = api.createProduct("Scarce", "3.00", 5);
        List<Callable<String>> buyers = IntStream.range(0, 20)
                .<Callable<String>>mapToObj(i -> () -> api.checkout("buyer-" + i, product + ":1"))
                .toList();
        List<String> ids = Api.checkoutAtOnce(buyers, 10);

        List<JsonNode> ended = ids.stream().map(api::awaitEnded).toList();

        long completed = ended.stream().filter(c -> c.path("status").asText().equals("COMPLETED")).count();
        assertThat(completed).isEqualTo(5);
        assertThat(ended).filteredOn(c -> c.path("status").asText().equals("FAILED")).hasSize(15);
        long approved = ended.stream()
                .filter(c -> api.order(c.path("orderId").asText()).path("status").asText().equals("APPROVED"))
                .count();
        assertThat(approved).isEqualTo(5);
        assertThat(api.product(product).path("stock").asInt()).isZero();
        assertThat(api.product(product).path("reserved").asInt()).isEqualTo(5);
    }

    @Test
    void sameIdempotencyKeyAndBodyIsTheSameCheckout() {
        String product = api.createProduct("Once", "1.00", 10);
        String body = Api.checkoutBody("erin", product + ":2");

        Api.Response first = api.post("/checkouts", body, Map.of("Idempotency-Key", "order-42"));
        Api.Response again = api.post("/checkouts", body, Map.of("Idempotency-Key", "order-42"));

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.body().path("id")).isEqualTo(first.body().path("id"));
        assertThat(again.header("Location")).isEqualTo("/checkouts/" + first.body().path("id").asText());
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(first.header("Idempotent-Replayed")).isNull();
        api.awaitEnded(first.body().path("id").asText());
        assertThat(api.product(product).path("reserved").asInt()).isEqualTo(2);
    }

    /**
     * A checkout without a key has an id made for it, so it is created without a look-up (StartNewCheckoutCommand);
     * with a key it may exist already, and is looked up (StartCheckoutCommand).
     */
    @Test
    void onlyACheckoutWithAKeyIsLookedUpBeforeItStarts() {
        String product = api.createProduct("Spoon", "1.00", 10);
        List<String> handled = new java.util.concurrent.CopyOnWriteArrayList<>();
        Registration recording = commandBus.registerHandlerInterceptor((unitOfWork, chain) -> {
            handled.add(unitOfWork.getMessage().getPayloadType().getSimpleName());
            return chain.proceed();
        });
        try {
            Api.Response plain = api.post("/checkouts", Api.checkoutBody("ida", product + ":1"));
            Api.Response keyed = api.post("/checkouts", Api.checkoutBody("ida", product + ":1"),
                    Map.of("Idempotency-Key", "looked-up"));

            assertThat(plain.status()).isEqualTo(202);
            assertThat(plain.header("Idempotent-Replayed")).isNull();
            assertThat(keyed.status()).isEqualTo(202);
            assertThat(keyed.header("Idempotent-Replayed")).isNull();
            assertThat(handled).containsSubsequence("StartNewCheckoutCommand", "StartCheckoutCommand");
            assertThat(api.awaitEnded(plain.body().path("id").asText()).path("status").asText())
                    .isEqualTo("COMPLETED");
        } finally {
            recording.cancel();
        }
    }

    @Test
    void sameIdempotencyKeyWithAnotherBodyIsRefused() {
        String product = api.createProduct("Twice", "1.00", 10);
        api.post("/checkouts", Api.checkoutBody("frank", product + ":1"), Map.of("Idempotency-Key", "k-conflict"));

        Api.Response conflict = api.post("/checkouts", Api.checkoutBody("frank", product + ":5"),
                Map.of("Idempotency-Key", "k-conflict"));

        assertThat(conflict.status()).isEqualTo(422);
        assertThat(conflict.contentType()).startsWith("application/problem+json");
        assertThat(conflict.body().path("detail").asText()).contains("another request body");
    }

    @Test
    void concurrentRetriesWithOneKeyStartOneCheckout() throws Exception {
        String product = api.createProduct("Retried", "1.00", 100);
        String body = Api.checkoutBody("gina", product + ":1");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Api.Response> responses = new ArrayList<>();
        try {
            for (Future<Api.Response> r : pool.invokeAll(IntStream.range(0, 8)
                    .<Callable<Api.Response>>mapToObj(i -> () -> api.post("/checkouts", body,
                            Map.of("Idempotency-Key", "retry-storm"))).toList())) {
                responses.add(r.get());
            }
        } finally {
            pool.shutdown();
        }

        assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.text()).isEqualTo(202));
        assertThat(responses.stream().map(r -> r.body().path("id").asText()).distinct()).hasSize(1);
        api.awaitEnded(responses.get(0).body().path("id").asText());
        assertThat(api.product(product).path("reserved").asInt()).isEqualTo(1);
    }

    @Test
    void unknownIdsAreNotFoundProblems() {
        for (String path : List.of("/checkouts/nope", "/orders/nope", "/products/nope")) {
            Api.Response response = api.get(path);
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.contentType()).as(path).startsWith("application/problem+json");
            assertThat(response.body().path("detail").asText()).as(path).contains("'nope'");
        }
        Api.Response restock = api.post("/products/nope/restock", "{\"quantity\":1}");
        assertThat(restock.status()).isEqualTo(404);
    }

    @Test
    void listsCheckoutsByStatus() {
        String product = api.createProduct("Listed", "1.00", 1);
        String completed = api.checkout("hank", product + ":1");
        String failed = api.checkout("hank", product + ":1");
        api.awaitEnded(completed);
        api.awaitEnded(failed);

        JsonNode completedPage = api.get("/checkouts?status=COMPLETED&size=500").body();
        JsonNode failedPage = api.get("/checkouts?status=FAILED&size=500").body();

        assertThat(ids(completedPage)).contains(completed).doesNotContain(failed);
        assertThat(ids(failedPage)).contains(failed).doesNotContain(completed);
        assertThat(api.get("/checkouts?status=SIDEWAYS").status()).isEqualTo(400);
    }

    @Test
    void restockAddsAvailableUnits() {
        String product = api.createProduct("Restocked", "1.00", 1);

        Api.Response restocked = api.post("/products/" + product + "/restock", "{\"quantity\":4}");

        assertThat(restocked.status()).isEqualTo(200);
        assertThat(restocked.body().path("stock").asInt()).isEqualTo(5);
    }

    static Stream<Arguments> badCheckouts() {
        String line = "{\"productId\":\"p\",\"quantity\":1}";
        String manyLines = String.join(",", java.util.Collections.nCopies(101, line));
        return Stream.of(
                Arguments.of("malformed JSON", "{\"customerId\":", 400, "Malformed JSON"),
                Arguments.of("not JSON", "hello", 400, "Malformed JSON"),
                Arguments.of("empty body", "", 400, "missing"),
                Arguments.of("missing customer", "{\"lines\":[" + line + "]}", 400, "customerId"),
                Arguments.of("no lines", "{\"customerId\":\"c\",\"lines\":[]}", 400, "lines"),
                Arguments.of("lines missing", "{\"customerId\":\"c\"}", 400, "lines"),
                Arguments.of("zero quantity",
                        "{\"customerId\":\"c\",\"lines\":[{\"productId\":\"p\",\"quantity\":0}]}", 400, "quantity"),
                Arguments.of("negative quantity",
                        "{\"customerId\":\"c\",\"lines\":[{\"productId\":\"p\",\"quantity\":-3}]}", 400, "quantity"),
                Arguments.of("absurd quantity",
                        "{\"customerId\":\"c\",\"lines\":[{\"productId\":\"p\",\"quantity\":10001}]}", 400, "quantity"),
                Arguments.of("quantity beyond int",
                        "{\"customerId\":\"c\",\"lines\":[{\"productId\":\"p\",\"quantity\":99999999999999999999}]}",
                        400, "quantity"),
                Arguments.of("quantity of wrong type",
                        "{\"customerId\":\"c\",\"lines\":[{\"productId\":\"p\",\"quantity\":\"many\"}]}", 400,
                        "lines[0].quantity"),
                Arguments.of("lines of wrong type", "{\"customerId\":\"c\",\"lines\":\"p\"}", 400, "lines"),
                Arguments.of("unknown field", "{\"customerId\":\"c\",\"lines\":[" + line + "],\"coupon\":1}", 400,
                        "coupon"),
                Arguments.of("too many lines", "{\"customerId\":\"c\",\"lines\":[" + manyLines + "]}", 400, "lines"),
                Arguments.of("product twice", "{\"customerId\":\"c\",\"lines\":[" + line + "," + line + "]}", 400,
                        "same product"),
                Arguments.of("huge body", "{\"customerId\":\"" + "x".repeat(70_000) + "\",\"lines\":[]}", 413,
                        "larger than"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCheckouts")
    void badCheckoutRequestsAreProblemsAndStartNothing(String name, String body, int status, String mentions) {
        long before = api.get("/checkouts?size=1").body().path("totalItems").asLong();

        Api.Response response = api.post("/checkouts", body);

        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.body().path("detail").asText()).contains(mentions);
        assertThat(response.text()).doesNotContain("at io.", "at org.", "Exception");
        assertThat(api.get("/checkouts?size=1").body().path("totalItems").asLong()).isEqualTo(before);
    }

    @Test
    void badProductRequestsAreProblems() {
        assertThat(api.post("/products", "{\"name\":\"\",\"price\":1,\"stock\":1}").status()).isEqualTo(400);
        assertThat(api.post("/products", "{\"name\":\"n\",\"price\":-1,\"stock\":1}").status()).isEqualTo(400);
        assertThat(api.post("/products", "{\"name\":\"n\",\"price\":1,\"stock\":-1}").status()).isEqualTo(400);
        assertThat(api.post("/products", "{\"name\":\"n\",\"price\":1}").status()).isEqualTo(400);
        String product = api.createProduct("Valid", "1.00", 1);
        assertThat(api.post("/products/" + product + "/restock", "{\"quantity\":0}").status()).isEqualTo(400);
    }

    private static List<String> ids(JsonNode page) {
        return StreamSupport.stream(page.path("items").spliterator(), false).map(c -> c.path("id").asText()).toList();
    }
}
