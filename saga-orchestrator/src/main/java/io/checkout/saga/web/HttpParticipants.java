package io.checkout.saga.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.checkout.shared.order.OrderId;
import io.checkout.shared.order.OrderSummary;
import io.checkout.shared.product.ProductId;
import io.checkout.shared.product.ProductSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The order and product services' public HTTP APIs ({@code GET /orders/{id}}, {@code GET /products/{id}}): for the
 * multi-process mode, whose JGroups command bus carries commands only, not queries.
 */
final class HttpParticipants implements Participants {

    private final HttpClient http;
    private final ObjectMapper json;
    private final URI orders;
    private final URI products;
    private final Duration timeout;

    HttpParticipants(URI orders, URI products, Duration timeout, ObjectMapper json) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.json = json;
        this.orders = orders;
        this.products = products;
        this.timeout = timeout;
    }

    @Override
    public CompletableFuture<Optional<OrderSummary>> order(OrderId id) {
        return get(orders.resolve("/orders/" + id.value()), order -> new OrderSummary(id,
                order.path("status").asText(),
                order.path("total").isNumber() ? order.path("total").decimalValue() : null, text(order, "reason")));
    }

    @Override
    public CompletableFuture<Optional<ProductSummary>> product(ProductId id) {
        return get(products.resolve("/products/" + id.value()), product -> new ProductSummary(id,
                product.path("name").asText(), product.path("price").decimalValue(), product.path("stock").asInt(),
                product.path("reserved").asInt()));
    }

    private <T> CompletableFuture<Optional<T>> get(URI uri, Function<JsonNode, T> mapping) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json")
                .GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + response.statusCode());
            }
            try {
                return Optional.of(mapping.apply(json.readTree(response.body())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }
}
