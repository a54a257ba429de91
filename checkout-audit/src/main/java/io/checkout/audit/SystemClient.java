package io.checkout.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The running system's public HTTP API, as the auditor, the chaos run and the benchmark use it.
 * <p>
 * Apache HttpClient's classic (blocking) client: each request runs on the thread that sends it, over a pooled
 * connection. The JDK's {@code HttpClient} hands every exchange to its selector thread and executor and back, and was
 * about half of the benchmark's own CPU (docs/performance.md, "A lighter load generator"), on the cores it shares
 * with the system it measures. As the JDK's client, this one follows no redirect, keeps no cookie, asks for no
 * compression and gives up on a connection after 5 s and on an answer after 30 s.
 */
public class SystemClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Timeout ANSWER_TIMEOUT = Timeout.ofSeconds(30);

    private final CloseableHttpClient http = HttpClients.custom()
            .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                    // One connection for each thread that sends at once (the open model runs hundreds of senders).
                    .setMaxConnPerRoute(4096)
                    .setMaxConnTotal(4096)
                    .setDefaultConnectionConfig(ConnectionConfig.custom()
                            .setConnectTimeout(Timeout.ofSeconds(5))
                            // A connection idle for a second is checked before it is used again: the system may have
                            // restarted meanwhile (the chaos run).
                            .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                            .build())
                    .build())
            .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(ANSWER_TIMEOUT).build())
            .disableRedirectHandling()
            .disableCookieManagement()
            .disableContentCompression()
            .disableAuthCaching()
            .build();
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
        return send(ClassicRequestBuilder.get(resolve(path)), false);
    }

    /**
     * Any request, with the given headers and an optional body (sent as JSON unless the headers name another
     * {@code Content-Type}).
     */
    public Response request(String method, String path, String body, Map<String, String> headers) {
        ClassicRequestBuilder request = ClassicRequestBuilder.create(method).setUri(resolve(path));
        if (body != null) {
            request.setEntity(json(body));
        }
        headers.forEach(request::setHeader);
        return send(request, false);
    }

    public Response post(String path, Object body, Map<String, String> headers) {
        ClassicRequestBuilder request = ClassicRequestBuilder.post(resolve(path)).setEntity(json(write(body)));
        headers.forEach(request::setHeader);
        return send(request, false);
    }

    /**
     * A POST whose answer's body is not read, only its status and its {@code Location}: the benchmark's start of a
     * checkout, which needs the new checkout's address and not the checkout.
     *
     * @return the answer, its body null and its text empty
     */
    public Response postForLocation(String path, Object body) {
        return send(ClassicRequestBuilder.post(resolve(path)).setEntity(json(write(body))), false, false);
    }

    public Response adminPost(String path, Object body) {
        return send(ClassicRequestBuilder.post(resolve(path)).setEntity(json(write(body))), true);
    }

    public Response adminGet(String path) {
        return send(ClassicRequestBuilder.get(resolve(path)), true);
    }

    public Response adminDelete(String path) {
        return send(ClassicRequestBuilder.delete(resolve(path)), true);
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
        ClassicHttpRequest request = ClassicRequestBuilder.get(resolve(path)).setHeader("Accept", "text/event-stream")
                .build();
        // A stream is quiet for as long as nothing happens: no time limit on its next line.
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.INFINITE).build());
        try (ClassicHttpResponse response = http.executeOpen(null, request, context)) {
            if (response.getCode() != 200) {
                throw new IllegalStateException(path + " answered " + response.getCode());
            }
            if (response.getEntity() == null) {
                return;
            }
            BufferedReader lines = new BufferedReader(
                    new InputStreamReader(response.getEntity().getContent(), StandardCharsets.UTF_8));
            onOpen.run();
            String[] event = new String[3]; // name, id, data
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (event[2] != null) {
                        onEvent.accept(new ServerSentEvent(event[0] == null ? "message" : event[0], event[1],
                                event[2]));
                    }
                    Arrays.fill(event, null);
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon == 0) {
                    continue; // a comment
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
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode require(Response response, String what) {
        if (!response.ok()) {
            throw new IllegalStateException(what + " answered " + response.status() + ": " + response.body());
        }
        return response.body();
    }

    private Response send(ClassicRequestBuilder request, boolean admin) {
        return send(request, admin, true);
    }

    private Response send(ClassicRequestBuilder request, boolean admin, boolean readBody) {
        if (admin && authorization != null) {
            request.setHeader("Authorization", authorization);
        }
        try {
            return http.execute(request.build(), response -> {
                Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                for (Header header : response.getHeaders()) {
                    headers.computeIfAbsent(header.getName(), name -> new ArrayList<>()).add(header.getValue());
                }
                if (!readBody) {
                    EntityUtils.consume(response.getEntity());
                    return new Response(response.getCode(), null, "", headers);
                }
                String text = response.getEntity() == null ? ""
                        : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
                return new Response(response.getCode(), parse(text), text, headers);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static StringEntity json(String body) {
        return new StringEntity(body, ContentType.APPLICATION_JSON);
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
