package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small HTTP client for the system under test: the tests speak to it only through its public API. */
final class Api {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    Api(int port) {
        this.base = "http://localhost:" + port;
    }

    record Response(int status, HttpResponse<String> raw, JsonNode body) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        String contentType() {
            return header("Content-Type");
        }
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Response getWith(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        headers.forEach(request::header);
        return send(request);
    }

    Response send(String method, String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return send(request);
    }

    Response post(String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(request);
    }

    Response post(String path, String body) {
        return post(path, body, Map.of());
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? JSON.nullNode() : parse(response.body());
            return new Response(response.statusCode(), response, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(body);
        }
    }

    /** Creates a product and returns its id. */
    String createProduct(String name, String price, int stock) {
        Response created = post("/products",
                "{\"name\":\"" + name + "\",\"price\":" + price + ",\"stock\":" + stock + "}");
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        return created.body().get("id").asText();
    }

    /** Starts a checkout of the given "productId:quantity" lines and returns its id. */
    String checkout(String customer, String... lines) {
        Response started = post("/checkouts", checkoutBody(customer, lines));
        assertThat(started.status()).as(started.raw().body()).isEqualTo(202);
        return started.body().get("id").asText();
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
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> get("/checkouts/" + checkoutId).body(),
                        c -> !"RUNNING".equals(c.path("status").asText()));
    }

    JsonNode product(String id) {
        return get("/products/" + id).body();
    }

    JsonNode order(String id) {
        return get("/orders/" + id).body();
    }
}
