package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Offered more checkouts than may run at once, the system refuses the excess at the door. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AdmissionTest {

    private static final String ADMIN = "Basic " + Base64.getEncoder()
            .encodeToString("admin:door".getBytes(StandardCharsets.UTF_8));

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TempDataDir.register(registry, "checkout-admission-test");
        registry.add("checkout.admin.password", () -> "door");
        registry.add("checkout.admission.max-running", () -> "1");
        registry.add("checkout.saga.step-timeout", () -> "2s");
    }

    @LocalServerPort
    int port;

    @Test
    void refusesANewCheckoutWithRetryAfterWhileTheMostAllowedAreRunningAnswersReplaysAndAdmitsOnceOneHasEnded() {
        Api api = new Api(port);
        String product = api.createProduct("Door", "3.00", 10);
        // The reserve is lost: the first checkout keeps running until its step times out.
        Api.Response fault = api.post("/admin/faults", "{\"point\":\"ReserveStockCommand\",\"action\":\"DROP\"}",
                Map.of("Authorization", ADMIN));
        assertThat(fault.status()).as(fault.text()).isEqualTo(201);
        Api.Response started = api.post("/checkouts", Api.checkoutBody("c-1", product + ":1"),
                Map.of("Idempotency-Key", "door-1"));
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        String first = started.body().path("id").asText();

        Api.Response refused = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> api.post("/checkouts", Api.checkoutBody("c-2", product + ":1")),
                        r -> r.status() != 202 || !"RUNNING".equals(api.get("/checkouts/" + first).body()
                                .path("status").asText()));
        assertThat(refused.status()).as(refused.text()).isEqualTo(503);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.body().path("title").asText()).isEqualTo("Too many checkouts running");
        assertThat(refused.body().path("detail").asText()).contains("1 checkouts are running");
        // A replay starts nothing, so it is answered while the system is full.
        Api.Response replayed = api.post("/checkouts", Api.checkoutBody("c-1", product + ":1"),
                Map.of("Idempotency-Key", "door-1"));
        assertThat(replayed.status()).as(replayed.text()).isEqualTo(202);
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replayed.body().path("id").asText()).isEqualTo(first);
        // Bad input is still told apart from overload.
        assertThat(api.post("/checkouts", "{\"customerId\":\"c-3\",\"lines\":[]}").status()).isEqualTo(400);

        api.send("DELETE", "/admin/faults", Map.of("Authorization", ADMIN));
        assertThat(api.awaitEnded(first).path("status").asText()).isEqualTo("FAILED");
        String next = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> api.post("/checkouts", Api.checkoutBody("c-4", product + ":1")), r -> r.status() == 202)
                .body().path("id").asText();
        assertThat(api.awaitEnded(next).path("status").asText()).isEqualTo("COMPLETED");
    }
}
