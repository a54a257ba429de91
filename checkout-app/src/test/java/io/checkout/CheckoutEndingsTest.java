package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.checkout.audit.SystemClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code GET /checkouts/ended}: the stream of checkouts as they end. The group commit's write delay is a minute here,
 * so that only its rounds for answers can have put a checkout's end on the disk within the test: each end the
 * stream sends must already be in a copy of the database file (what a crash at that moment would leave).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CheckoutEndingsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path dir;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) throws IOException {
        dir = Files.createTempDirectory("checkout-endings-test");
        registry.add("checkout.data-dir", dir::toString);
        registry.add("checkout.h2.write-delay", () -> "1m");
    }

    @LocalServerPort
    int port;
    @Autowired
    DataSource dataSource;
    @Autowired
    H2ChunkGate gate;
    @Autowired
    H2GroupCommit groupCommit;

    /** What the tests of H2ChunkGate assume of the application: its pool gated, its chunks written by the writer. */
    @Test
    void theApplicationsStatementsAreGatedAndItsChunksWrittenByTheGroupCommit() throws Exception {
        assertThat(groupCommit.isActive()).isTrue();
        assertThat(gate.gates(dataSource))
                .as("the gate around the pool, inside or outside the fault injector's wrapper").isTrue();
        assertThat(H2Stores.fileStore(dataSource).getAutoCommitDelay()).as("H2's own writer kept out")
                .isEqualTo(H2Stores.TAKEN_DELAY);

        // Through the gate, Hibernate closes each of its statements once (H2ChunkGate's result sets): a second close
        // is an exception in H2 and a line in its trace file.
        Api api = new Api(port);
        String checkout = api.checkout("erin", api.createProduct("Traced", "1.00", 5) + ":1");
        await().atMost(Duration.ofSeconds(30)).until(() -> !"RUNNING".equals(
                api.get("/checkouts/" + checkout + "?participants=false").body().path("status").asText()));
        Path trace = dir.resolve("checkout.trace.db");
        assertThat(Files.exists(trace) ? Files.readString(trace) : "").as("H2's trace file")
                .doesNotContain("already closed");
    }

    @Test
    void sendsEachCheckoutsEndOnceItIsOnTheDisk() throws Exception {
        Api api = new Api(port);
        String plenty = api.createProduct("Plenty", "2.50", 100);
        String none = api.createProduct("None", "1.00", 0);
        SystemClient client = new SystemClient(URI.create("http://localhost:" + port), null);
        Map<String, JsonNode> heard = new ConcurrentHashMap<>();
        Map<String, String> statusOnDisk = new ConcurrentHashMap<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        CountDownLatch open = new CountDownLatch(1);
        Thread listener = new Thread(() -> {
            try {
                client.listen("/checkouts/ended", open::countDown, event -> {
                    try {
                        assertThat(event.name()).isEqualTo("ended");
                        JsonNode data = JSON.readTree(event.data());
                        assertThat(event.id()).isEqualTo(data.path("id").asText());
                        // Read at once, before anything else could write the file: a crash now keeps this end.
                        statusOnDisk.put(event.id(), statusInACopy(event.id()));
                        heard.put(event.id(), data);
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
            } catch (RuntimeException closed) {
                // the test is over
            }
        }, "test-endings");
        listener.setDaemon(true);
        listener.start();
        assertThat(open.await(10, TimeUnit.SECONDS)).as("the stream opened").isTrue();

        String completes = api.checkout("alice", plenty + ":2");
        String twoLines = api.checkout("bob", plenty + ":1", none + ":1");
        String alsoCompletes = api.checkout("carol", plenty + ":3");

        // Another test's checkout may end while this one listens: the stream is for every checkout.
        List<String> ours = List.of(completes, twoLines, alsoCompletes);
        await().atMost(Duration.ofSeconds(30)).until(() -> heard.keySet().containsAll(ours) || !failures.isEmpty());
        assertThat(failures).isEmpty();
        assertThat(heard).containsKeys(completes, twoLines, alsoCompletes);
        assertThat(heard.get(completes).path("status").asText()).isEqualTo("COMPLETED");
        assertThat(heard.get(alsoCompletes).path("status").asText()).isEqualTo("COMPLETED");
        assertThat(heard.get(twoLines).path("status").asText()).isEqualTo("FAILED");
        for (String id : ours) {
            JsonNode checkout = api.get("/checkouts/" + id + "?participants=false").body();
            assertThat(heard.get(id).path("status").asText()).isEqualTo(checkout.path("status").asText());
            assertThat(millis(heard.get(id).path("endedAt"))).isEqualTo(millis(checkout.path("endedAt")));
            assertThat(statusOnDisk.get(id)).as("checkout %s in a copy of the file when its end was sent", id)
                    .isEqualTo(checkout.path("status").asText());
        }
    }

    @Test
    void refusesARequestThatDoesNotAskForAStreamOfEvents() {
        Api.Response response = new Api(port).getWith("/checkouts/ended", Map.of("Accept", "application/json"));
        assertThat(response.status()).isEqualTo(406);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aCommandThatAsksForEventsIsStillAnsweredOnlyOnceOnTheDisk() throws Exception {
        Api api = new Api(port);
        String product = api.createProduct("Held", "1.00", 10);
        String key = "endings-test-post";

        Api.Response response = api.post("/checkouts", Api.checkoutBody("dave", product + ":1"),
                Map.of("Accept", "text/event-stream", "Idempotency-Key", key));

        // No stream comes of a POST (406: a checkout is not an event stream), yet the checkout started, and the
        // answer waited until that was on the disk, as every command's does.
        assertThat(response.status()).isEqualTo(406);
        String id = UUID.nameUUIDFromBytes(("idempotency-key:" + key).getBytes(StandardCharsets.UTF_8)).toString();
        assertThat(statusInACopy(id)).isNotNull();
    }

    private static Instant millis(JsonNode instant) {
        return Instant.parse(instant.asText()).truncatedTo(ChronoUnit.MILLIS);
    }

    /** The checkout's status in a copy of the database file as it is on the disk now; null if it is not there. */
    private static String statusInACopy(String id) throws Exception {
        Path copy = Files.createTempDirectory(dir, "copy");
        Files.copy(dir.resolve("checkout.mv.db"), copy.resolve("checkout.mv.db"));
        JdbcDataSource source = new JdbcDataSource();
        // Read-only: what a crash left is only read, and H2 does not tidy its temporary LOBs away on close.
        source.setURL("jdbc:h2:file:" + copy.resolve("checkout") + ";IFEXISTS=TRUE;ACCESS_MODE_DATA=r");
        source.setUser("sa");
        try (Connection connection = source.getConnection();
             PreparedStatement select = connection.prepareStatement("select status from checkout_view where id = ?")) {
            select.setString(1, id);
            try (ResultSet result = select.executeQuery()) {
                return result.next() ? result.getString(1) : null;
            }
        }
    }
}
