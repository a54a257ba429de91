package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The application as a child JVM, crashed on purpose ({@code Runtime.halt} from a fault rule, or SIGKILL) and
 * started again on the same database: every checkout still ends, and the invariants hold.
 */
class ProcessCrashTest {

    @TempDir
    Path dataDir;

    private Process child;
    private int port;

    @AfterEach
    void stop() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    private Api start(String... extraArgs) throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-Daxoniq.update-checker.disabled=true",
                "-cp", System.getProperty("java.class.path"), CheckoutApplication.class.getName(),
                "--server.port=" + port, "--checkout.data-dir=" + dataDir,
                "--checkout.saga.step-timeout=3s", "--checkout.saga.compensation-backoff=200ms"));
        command.addAll(List.of(extraArgs));
        Path log = Path.of("target", "process-crash-" + port + ".log");
        child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Api api = new Api(port);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> api.get("/actuator/health").status() == 200);
        return api;
    }

    private int awaitCrash() throws InterruptedException {
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the child halted").isTrue();
        return child.exitValue();
    }

    /** The process halts at the point, around the local commit, while the command's reply is still to come. */
    @ParameterizedTest(name = "{1} at {0}")
    @CsvSource({"ReserveStockCommand, CRASH_AFTER_COMMIT", "ApproveOrderCommand, CRASH_BEFORE_COMMIT",
            "CreateOrderCommand, CRASH_AFTER_COMMIT"})
    void crashAroundTheCommitOfACommandThenRestart(String point, String action) throws Exception {
        Api api = start("--checkout.faults.rules[0].point=" + point, "--checkout.faults.rules[0].action=" + action);
        String product = api.createProduct("Crashing", "2.00", 5);
        String body = Api.checkoutBody("crash", product + ":2");
        Map<String, String> key = Map.of("Idempotency-Key", "crash-" + point);
        String checkout = null;
        try {
            checkout = accepted(api.post("/checkouts", body, key));
        } catch (UncheckedIOException halted) {
            // The saga ran ahead and halted the process while the 202 waited for its sync: no answer was given,
            // so the client sends the request again with its key once the system is back, as it would.
        }

        assertThat(awaitCrash()).isEqualTo(137);

        Api restarted = start();
        if (checkout == null) {
            checkout = accepted(restarted.post("/checkouts", body, key));
        }
        JsonNode ended = restarted.awaitEnded(checkout);
        assertThat(ended.path("status").asText()).isIn("COMPLETED", "FAILED");
        assertThat(restarted.product(product).path("reserved").asInt())
                .isEqualTo(ended.path("status").asText().equals("COMPLETED") ? 2 : 0);
        Audits.assertInvariantsHold(port, Set.of(checkout));
    }

    /**
     * A checkout that does not end is worth the child's threads at that moment: a lock held outside any of Axon's
     * units of work (which Axon's watchdog would report after 10 s) shows only there (docs/failure-injection.md). They
     * go next to the child's log, and the failure names the file.
     */
    private void withThreadsOnFailure(Runnable awaiting) throws IOException, InterruptedException {
        try {
            awaiting.run();
        } catch (RuntimeException | AssertionError notEnded) {
            Path threads = Path.of("target", "process-crash-" + port + "-threads.txt");
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(child.pid()), "Thread.print").redirectErrorStream(true)
                    .redirectOutput(threads.toFile()).start();
            jcmd.waitFor(30, TimeUnit.SECONDS);
            notEnded.addSuppressed(new AssertionError("the child's threads: " + threads.toAbsolutePath()));
            throw notEnded;
        }
    }

    private static String accepted(Api.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(202);
        return response.body().path("id").asText();
    }

    /**
     * Every checkout answered 202 before the kill is there after the restart: with the application's own database
     * settings, and with the group commit's write delay at a minute, where nothing but the rounds that the answers
     * wait for writes the file before the kill (without them the product and the checkouts would be gone).
     */
    @ParameterizedTest(name = "write delay {0}")
    @ValueSource(strings = {"as configured", "1m"})
    void sigkillInTheMiddleOfABurst(String writeDelay) throws Exception {
        Api api = writeDelay.equals("as configured") ? start() : start("--checkout.h2.write-delay=" + writeDelay);
        String product = api.createProduct("Burst", "1.00", 1000);
        Burst burst = Burst.start(api, product, 4, 50);
        burst.awaitAccepted(20);
        child.destroyForcibly(); // SIGKILL
        child.waitFor(10, TimeUnit.SECONDS);
        Set<String> accepted = burst.finish();
        assertThat(accepted).hasSizeGreaterThanOrEqualTo(20);

        Api restarted = start();
        assertThat(restarted.get("/products/" + product).status()).as("the product answered 201").isEqualTo(200);
        accepted.forEach(id -> assertThat(restarted.get("/checkouts/" + id).status())
                .as("checkout %s, answered 202", id).isEqualTo(200));
        withThreadsOnFailure(() -> {
            accepted.forEach(restarted::awaitEnded);
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    restarted.get("/checkouts/stats").body().path("counts").path("RUNNING").asLong() == 0);
        });
        Audits.assertInvariantsHold(port, accepted);
        long completed = restarted.get("/checkouts?status=COMPLETED&size=1").body().path("totalItems").asLong();
        assertThat(restarted.product(product).path("reserved").asLong()).isEqualTo(completed);
    }
}
