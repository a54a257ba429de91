package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.checkout.shared.product.ReserveStockCommand;
import java.nio.file.Path;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Stops the application in the middle of a saga and starts it again on the same database: the saga finishes.
 * Each test runs the application twice, as two Spring contexts one after the other on one H2 file.
 */
class RestartTest {

    @TempDir
    Path dataDir;

    private ConfigurableApplicationContext start(String stepTimeout) {
        // As command-line arguments: they take precedence over application.yml (default properties do not).
        return new SpringApplicationBuilder(CheckoutApplication.class)
                .run("--server.port=0", "--checkout.data-dir=" + dataDir,
                        "--checkout.saga.step-timeout=" + stepTimeout,
                        // snapshots from the second event on: the restarted process loads aggregates from them
                        "--checkout.aggregates.snapshot-every=2");
    }

    private static Api api(ConfigurableApplicationContext context) {
        return new Api(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    @Test
    void acceptedCheckoutWhoseSagaHadNotRunCompletesAfterRestart() {
        String product;
        String checkout;
        try (ConfigurableApplicationContext first = start("30s")) {
            Api api = api(first);
            product = api.createProduct("Durable", "4.00", 3);
            EventProcessor saga = first.getBean(EventProcessingConfiguration.class)
                    .eventProcessor("CheckoutSagaProcessor").orElseThrow();
            saga.shutDown(); // the process "dies" before the saga sees the checkout
            checkout = api.checkout("ivy", product + ":2");
            assertThat(api.get("/checkouts/" + checkout).body().path("status").asText()).isEqualTo("RUNNING");
        }

        try (ConfigurableApplicationContext second = start("30s")) {
            Api api = api(second);
            JsonNode ended = api.awaitEnded(checkout);
            assertThat(ended.path("status").asText()).isEqualTo("COMPLETED");
            assertThat(api.product(product).path("reserved").asInt()).isEqualTo(2);
            assertThat(api.order(ended.path("orderId").asText()).path("status").asText()).isEqualTo("APPROVED");
        }
    }

    @Test
    void stepDeadlineSurvivesTheRestartAndCompensates() {
        String first;
        String second;
        String checkout;
        try (ConfigurableApplicationContext running = start("3s")) {
            Api api = api(running);
            first = api.createProduct("Held", "1.00", 5);
            second = api.createProduct("Lost", "1.00", 5);
            // The reserve for the second product is lost on the way: the saga waits on its step deadline.
            running.getBean(CommandBus.class).registerHandlerInterceptor((unitOfWork, chain) ->
                    unitOfWork.getMessage().getPayload() instanceof ReserveStockCommand reserve
                            && reserve.productId().value().equals(second) ? null : chain.proceed());
            checkout = api.checkout("jack", first + ":2", second + ":1");
            org.awaitility.Awaitility.await().until(() -> api.product(first).path("reserved").asInt() == 2);
            assertThat(api.get("/checkouts/" + checkout).body().path("status").asText()).isEqualTo("RUNNING");
        } // stopped well before the 3 s deadline

        try (ConfigurableApplicationContext restarted = start("3s")) {
            Api api = api(restarted);
            JsonNode ended = api.awaitEnded(checkout);
            assertThat(ended.path("status").asText()).isEqualTo("FAILED");
            assertThat(ended.path("reason").asText()).startsWith("RESERVE_STOCK timed out");
            assertThat(api.order(ended.path("orderId").asText()).path("status").asText()).isEqualTo("CANCELLED");
            for (String product : new String[] {first, second}) {
                assertThat(api.product(product).path("stock").asInt()).isEqualTo(5);
                assertThat(api.product(product).path("reserved").asInt()).isZero();
            }
        }
    }
}
