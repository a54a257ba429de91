package io.checkout.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** The running system's public HTTP API, as the auditor and the chaos run use it. */
public class SystemClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Answers are taken over on the client's own selector thread ({@code executor(Runnable::run)}) instead of being
     * handed to a pool: no body handler here blocks (bodies are discarded or read as a whole, an event stream's lines
     * are read by the caller's thread), and each hand-off was a wake-up of another thread.
     */
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Runnable::run).build();
    private final URI orchestrator;
    private final URI orders;
    private final URI products;
    private final String authorization;

    /**
     * The all-in-one mode: every API at one address.
     *
     * @param base  where the orchestrator, order and product APIs answer
     * @param admin "user:password" for the admin endpoints, or null
     */
    public SystemClient(URI base, String admin) {
        this(base, base, base, admin);
    }

    /**
     * Each service at an address of its own (the multi-process modes): {@code /orders...} goes to the order service,
     * {@code /products...} to the product service, everything else to the orchestrator.
     */
    public SystemClient(URI orchestrator, URI orders, URI products, String admin) {
        this.orchestrator = orchestrator;
        this.orders = orders;
        this.products = products;
        this.authorization = admin == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(admin.getBytes(StandardCharsets.UTF_8));
    }

    /** @param text the body as sent; {@code body} is the same parsed as JSON (a text node if it is not JSON) */
    public record Response(int status, JsonNode body, String text, Map<String, List<String>> headers) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }
    }

    /**
     * From command-line options: {@code --url} (the orchestrator, or the whole all-in-one system, by default
     * http://localhost:8080), {@code --orders-url} and {@code --products-url} (by default {@code --url}), and
     * {@code --admin user:password}.
     */
    public static SystemClient fromOptions(Map<String, String> options) {
        URI url = URI.create(options.getOrDefault("url", "http://localhost:8080"));
        return new SystemClient(url, URI.create(options.getOrDefault("orders-url", url.toString())),
                URI.create(options.getOrDefault("products-url", url.toString())), options.get("admin"));
    }

    /** The address of {@code path}, at the service that answers it. */
    public URI resolve(String path) {
        URI base = path.startsWith("/orders") ? orders : path.startsWith("/products") ? products : orchestrator;
        return base.resolve(path);
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(resolve(path)).GET(), false);
    }

    /** Any request, with the given headers and an optional body (sent as JSON). */
    public Response request(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(resolve(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        return send(request, false);
    }

    public Response post(String path, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(body)));
        headers.forEach(request::header);
        return send(request, false);
    }

    /**
     * A POST whose answer's body is not read, only its status and its {@code Location}: the benchmark's start of a
     * checkout, which needs the new checkout's address and not the checkout.
     *
     * @return the answer, its body null and its text empty
     */
    public Response postForLocation(String path, Object body) {
        HttpResponse<Void> response = exchange(HttpRequest.newBuilder(resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(body))), HttpResponse.BodyHandlers.discarding());
        return new Response(response.statusCode(), null, "", response.headers().map());
    }

    public Response adminPost(String path, Object body) {
        return send(HttpRequest.newBuilder(resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(body))), true);
    }

    public Response adminGet(String path) {
        return send(HttpRequest.newBuilder(resolve(path)).GET(), true);
    }

    public Response adminDelete(String path) {
        return send(HttpRequest.newBuilder(resolve(path)).DELETE(), true);
    }

    /** Every item of a paged listing ({@code items}, {@code totalPages}), page by page. */
    public List<JsonNode> all(String path, int size) {
        List<JsonNode> items = new ArrayList<>();
        String separator = path.contains("?") ? "&" : "?";
        for (int page = 0; ; page++) {
            JsonNode body = require(get(path + separator + "page=" + page + "&size=" + size), path);
            body.path("items").forEach(items::add);
            if (page + 1 >= body.path("totalPages").asInt()) {
                return items;
            }
        }
    }

    /** One server-sent event: its name ({@code message} if it has none), its id (or null) and its data. */
    public record ServerSentEvent(String name, String id, String data) {
    }

    /**
     * Listens to a stream of server-sent events ({@code Accept: text/event-stream}): once the stream is open, runs
     * {@code onOpen}, then hands each event to {@code onEvent} (comments are skipped), and returns when the stream
     * ends.
     *
     * @throws IllegalStateException if the path does not answer 200 (an older system without the stream: 404 or 406)
     */
    public void listen(String path, Runnable onOpen, Consumer<ServerSentEvent> onEvent) {
        HttpRequest request = HttpRequest.newBuilder(resolve(path)).header("Accept", "text/event-stream").GET().build();
        try {
            HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
            try (Stream<String> lines = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(path + " answered " + response.statusCode());
                }
                onOpen.run();
                String[] event = new String[3]; // name, id, data
                lines.forEachOrdered(line -> {
                    if (line.isEmpty()) {
                        if (event[2] != null) {
                            onEvent.accept(new ServerSentEvent(event[0] == null ? "message" : event[0], event[1],
                                    event[2]));
                        }
                        Arrays.fill(event, null);
                        return;
                    }
                    int colon = line.indexOf(':');
                    if (colon == 0) {
                        return; // a comment
                    }
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(line.startsWith(" ", colon + 1) ? colon + 2 : colon + 1);
                    switch (field) {
                        case "event" -> event[0] = value;
                        case "id" -> event[1] = value;
                        case "data" -> event[2] = event[2] == null ? value : event[2] + "\n" + value;
                        default -> {
                            // retry, and fields this client does not know
                        }
                    }
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public JsonNode require(Response response, String what) {
        if (!response.ok()) {
            throw new IllegalStateException(what + " answered " + response.status() + ": " + response.body());
        }
        return response.body();
    }

    private Response send(HttpRequest.Builder request, boolean admin) {
        if (admin && authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = exchange(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), parse(response.body()), response.body(), response.headers().map());
    }

    /** Sends the request, giving up on its answer after 30 s. */
    private <T> HttpResponse<T> exchange(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String text) {
        if (text.isBlank()) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(text);
        } catch (IOException notJson) {
            return JSON.getNodeFactory().textNode(text);
        }
    }

    private static String write(Object body) {
        try {
            return body instanceof String s ? s : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
