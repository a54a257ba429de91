package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.checkout.audit.SystemClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.StreamSupport;

/**
 * The tests' view of the system under test: its public HTTP API only, through the auditor's client, plus the
 * steps most tests share (create a product, start a checkout, wait for its saga to end).
 */
final class Api {

    private final SystemClient http;

    Api(int port) {
        this(new SystemClient(URI.create("http://localhost:" + port), null));
    }

    /** Any deployment, e.g. each service at its own address. */
    Api(SystemClient http) {
        this.http = http;
    }

    record Response(int status, JsonNode body, String text, SystemClient.Response raw) {
        String header(String name) {
            return raw.header(name);
        }

        String contentType() {
            return header("Content-Type");
        }
    }

    private static Response of(SystemClient.Response response) {
        return new Response(response.status(), response.body(), response.text(), response);
    }

    Response get(String path) {
        return of(http.get(path));
    }

    Response getWith(String path, Map<String, String> headers) {
        return of(http.request("GET", path, null, headers));
    }

    Response send(String method, String path, Map<String, String> headers) {
        return of(http.request(method, path, null, headers));
    }

    Response post(String path, String body, Map<String, String> headers) {
        return of(http.request("POST", path, body, headers));
    }

    Response post(String path, String body) {
        return post(path, body, Map.of());
    }

    /** Creates a product and returns its id. */
    String createProduct(String name, String price, int stock) {
        Response created = post("/products",
                "{\"name\":\"" + name + "\",\"price\":" + price + ",\"stock\":" + stock + "}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.body().get("id").asText();
    }

    /** Starts a checkout of the given "productId:quantity" lines and returns its id. */
    String checkout(String customer, String... lines) {
        Response started = post("/checkouts", checkoutBody(customer, lines));
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        return started.body().get("id").asText();
    }

    /** Starts the checkouts on that many threads at once and returns their ids, in the order given. */
    static List<String> checkoutAtOnce(List<Callable<String>> checkouts, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<String> ids = new ArrayList<>();
        try {
            for (Future<String> id : pool.invokeAll(checkouts)) {
                ids.add(id.get());
            }
        } finally {
            pool.shutdown();
        }
        return ids;
    }

    static String checkoutBody(String customer, String... lines) {
        StringBuilder body = new StringBuilder("{\"customerId\":\"" + customer + "\",\"lines\":[");
        for (int i = 0; i < lines.length; i++) {
            String[] parts = lines[i].split(":");
            body.append(i == 0 ? "" : ",").append("{\"productId\":\"").append(parts[0])
                    .append("\",\"quantity\":").append(parts[1]).append('}');
        }
        return body.append("]}").toString();
    }

    /** Waits for the checkout's saga to end and returns the checkout as the API shows it. */
    JsonNode awaitEnded(String checkoutId) {
        return awaitEnded(checkoutId, Duration.ofSeconds(30));
    }

    JsonNode awaitEnded(String checkoutId, Duration atMost) {
        return await().atMost(atMost).pollInterval(Duration.ofMillis(50))
                .until(() -> get("/checkouts/" + checkoutId).body(),
                        c -> !"RUNNING".equals(c.path("status").asText()));
    }

    /** A checkout's timeline as "STEP OUTCOME" strings, in order. */
    static List<String> timeline(JsonNode checkout) {
        return StreamSupport.stream(checkout.path("steps").spliterator(), false)
                .map(s -> s.path("step").asText() + " " + s.path("outcome").asText()).toList();
    }

    /**
     * Waits until the checkout's timeline passes the assertion, and returns the checkout. The timeline is
     * eventually consistent: the participants' answers and the SENT entries may land a moment after the saga ended.
     */
    JsonNode awaitTimeline(String checkoutId, Consumer<List<String>> assertion) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertion.accept(timeline(get("/checkouts/" + checkoutId).body())));
        return get("/checkouts/" + checkoutId).body();
    }

    JsonNode product(String id) {
        return get("/products/" + id).body();
    }

    JsonNode order(String id) {
        return get("/orders/" + id).body();
    }
}
