package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.checkout.audit.DevPostgres;
import io.checkout.audit.SystemClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multi-process mode for real: a PostgreSQL server, and the three services as three {@code java -jar} processes
 * of the packaged application (profiles {@code multi-process,product}, {@code ...,order}, {@code ...,orchestrator}),
 * sharing the event store and routing commands over JGroups on loopback. Checkouts complete and compensate across
 * the processes; then the product service and the orchestrator are each killed with SIGKILL in the middle of a burst
 * of checkouts and started again, and every accepted checkout still ends with every invariant holding.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiProcessIT {

    enum Service { PRODUCT, ORDER, ORCHESTRATOR }

    private static final int CLIENTS = 4;
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    /** Long enough for a killed service to come back and answer the releases retried meanwhile. */
    private static final Duration END_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path work;

    private DevPostgres postgres;
    private final Map<Service, Integer> httpPorts = new EnumMap<>(Service.class);
    private final Map<Service, Integer> clusterPorts = new EnumMap<>(Service.class);
    private final Map<Service, Process> processes = new EnumMap<>(Service.class);
    private SystemClient system;
    private Api api;

    @BeforeAll
    void startTheSystem() throws Exception {
        postgres = DevPostgres.start(0, null);
        for (Service service : Service.values()) {
            httpPorts.put(service, freePort());
            clusterPorts.put(service, freePort());
        }
        URI orchestrator = url(Service.ORCHESTRATOR);
        system = new SystemClient(orchestrator, url(Service.ORDER), url(Service.PRODUCT), null);
        api = new Api(system);
        // The product service first, on its own: the first process to start creates the shared event tables.
        start(Service.PRODUCT);
        awaitHealthy(Service.PRODUCT);
        start(Service.ORDER);
        start(Service.ORCHESTRATOR);
        awaitHealthy(Service.ORDER);
        awaitHealthy(Service.ORCHESTRATOR);
    }

    @AfterAll
    void stopTheSystem() throws IOException {
        processes.values().forEach(Process::destroyForcibly);
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Order(1)
    void checkoutsCompleteAndCompensateAcrossTheProcesses() {
        String lamp = api.createProduct("Lamp", "12.50", 5);
        String chair = api.createProduct("Chair", "40.00", 1);
        // The order service learns the catalogue from the product service's events.
        String completed = api.checkout("alice", lamp + ":2", chair + ":1");
        JsonNode done = api.awaitEnded(completed, Duration.ofSeconds(60));
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
        assertThat(api.order(done.path("orderId").asText()).path("status").asText()).isEqualTo("APPROVED");
        // The explorer shows the participants' state now, asked of the other two processes.
        JsonNode participants = done.path("participants");
        assertThat(participants.path("order").path("status").asText()).as(participants.toString())
                .isEqualTo("APPROVED");
        assertThat(participants.path("products")).hasSize(2);
        assertThat(participants.path("unavailable")).isEmpty();
        // The timeline hears the participants' answers from the other processes' events.
        api.awaitTimeline(completed, t -> assertThat(t).contains("CREATE_ORDER SUCCEEDED", "RESERVE_STOCK SUCCEEDED",
                "APPROVE_ORDER SUCCEEDED"));

        String overStock = api.checkout("bob", lamp + ":1", chair + ":1");
        JsonNode failed = api.awaitEnded(overStock, Duration.ofSeconds(60));
        assertThat(failed.path("status").asText()).isEqualTo("FAILED");
        assertThat(failed.path("reason").asText()).contains("Not enough stock");

        // A failure in the product service's process reaches the saga as what it is: the product does not exist.
        String unknown = api.checkout("carol", "00000000-0000-0000-0000-000000000001:1");
        JsonNode notFound = api.awaitEnded(unknown, Duration.ofSeconds(60));
        assertThat(notFound.path("status").asText()).isEqualTo("FAILED");
        assertThat(Api.timeline(notFound)).doesNotContain("RESERVE_STOCK RETRIED");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(api.product(lamp).path("reserved").asInt()).isEqualTo(2);
            assertThat(api.product(lamp).path("stock").asInt()).isEqualTo(3);
            assertThat(api.product(chair).path("reserved").asInt()).isEqualTo(1);
        });
        Audits.assertInvariantsHold(system, List.of(completed, overStock, unknown));
    }

    @Test
    @Order(2)
    void sigkillOfTheProductServiceInTheMiddleOfABurst() throws Exception {
        burstWithAKill(Service.PRODUCT);
    }

    @Test
    @Order(3)
    void sigkillOfTheOrchestratorInTheMiddleOfABurst() throws Exception {
        burstWithAKill(Service.ORCHESTRATOR);
    }

    private void burstWithAKill(Service victim) throws Exception {
        String product = api.createProduct("Burst " + victim, "1.00", 1000);
        Burst burst = Burst.start(api, product, CLIENTS, 40);
        burst.awaitAccepted(20);
        Process killed = processes.get(victim);
        killed.destroyForcibly(); // SIGKILL
        assertThat(killed.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(killed.exitValue()).isEqualTo(137);
        Set<String> accepted = burst.finish();

        start(victim);
        awaitHealthy(victim);
        for (String checkout : accepted) {
            api.awaitEnded(checkout, END_TIMEOUT);
        }
        Audits.assertInvariantsHold(system, accepted);
        Map<String, Long> outcomes = accepted.stream().map(id -> api.get("/checkouts/" + id).body()
                .path("status").asText()).collect(Collectors.groupingBy(s -> s, Collectors.counting()));
        long completed = outcomes.getOrDefault("COMPLETED", 0L);
        assertThat(completed + outcomes.getOrDefault("FAILED", 0L)).isEqualTo(accepted.size());
        // Every completed checkout holds its unit, every failed one holds nothing (the auditor checked each). A
        // checkout whose 202 was lost with the killed orchestrator ran too: at most one per client.
        long reserved = api.product(product).path("reserved").asLong();
        assertThat(reserved).isBetween(completed, completed + CLIENTS);
        System.out.printf("SIGKILL of the %s: %d checkouts accepted, outcomes %s, %d units reserved%n", victim,
                accepted.size(), outcomes, reserved);
    }

    private void start(Service service) throws IOException {
        String jar = System.getProperty("app.jar");
        assertThat(jar).as("the packaged application (failsafe sets app.jar)").isNotNull();
        String members = clusterPorts.values().stream().map(p -> "127.0.0.1[" + p + "]")
                .collect(Collectors.joining(","));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Daxoniq.update-checker.disabled=true",
                "-jar", jar,
                "--spring.profiles.active=multi-process," + service.name().toLowerCase(),
                "--server.port=" + httpPorts.get(service),
                "--axon.distributed.jgroups.bind-port=" + clusterPorts.get(service),
                "--checkout.cluster.members=" + members,
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--checkout.explorer.orders-url=" + url(Service.ORDER),
                "--checkout.explorer.products-url=" + url(Service.PRODUCT),
                // A step waits out a killed service's restart (commands to it fail: no node serves them) and then
                // goes on, rather than compensating after the default five attempts.
                "--checkout.saga.step-timeout=90s", "--checkout.saga.max-attempts=60",
                "--checkout.saga.max-retry-backoff=2s",
                "--checkout.saga.compensation-backoff=500ms", "--checkout.saga.max-compensation-backoff=5s"));
        Path log = Path.of("target", "multi-process-" + service.name().toLowerCase() + ".log");
        Files.writeString(log, "---- start: " + String.join(" ", command) + System.lineSeparator(),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        processes.put(service, process);
    }

    private void awaitHealthy(Service service) {
        SystemClient client = new SystemClient(url(service), null);
        Process process = processes.get(service);
        await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .failFast(service + " exited (see target/multi-process-*.log)", () -> !process.isAlive())
                .until(() -> client.get("/actuator/health").status() == 200);
    }

    private URI url(Service service) {
        return URI.create("http://localhost:" + httpPorts.get(service));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
