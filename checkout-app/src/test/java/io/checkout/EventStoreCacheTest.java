package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.checkout.support.axon.DroppedEventsUnlinker;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The event store's cache of the newest events, so small that the saga's processor keeps falling behind it while
 * the dropped events are unlinked under it every millisecond (design.md #42): every checkout still ends as it
 * should, and every invariant holds. The embedded default keeps 1,000 events and unlinks every 20 ms.
 */
class EventStoreCacheTest {

    private static final int CHECKOUTS = 60;

    @Test
    void everyCheckoutEndsWhileTheSagaKeepsFallingBehindATinyCache() throws Exception {
        try (ConfigurableApplicationContext application = new SpringApplicationBuilder(CheckoutApplication.class)
                .run("--server.port=0", "--checkout.data-dir=" + Files.createTempDirectory("checkout-event-cache"),
                        "--checkout.event-store.cached-events=3", "--checkout.event-store.unlink-every=1ms")) {
            int port = ((WebServerApplicationContext) application).getWebServer().getPort();
            Api api = new Api(port);
            String plenty = api.createProduct("Plenty", "2.50", 10_000);
            String scarce = api.createProduct("Scarce", "7.00", 5);

            List<Callable<String>> buyers = new ArrayList<>();
            for (int i = 0; i < CHECKOUTS; i++) {
                String customer = "buyer-" + i;
                buyers.add(i % 3 == 0
                        ? () -> api.checkout(customer, plenty + ":2", scarce + ":1")
                        : () -> api.checkout(customer, plenty + ":1"));
            }
            List<String> ids = Api.checkoutAtOnce(buyers, 16);

            int completed = 0;
            int scarceSold = 0;
            for (int i = 0; i < CHECKOUTS; i++) {
                JsonNode ended = api.awaitEnded(ids.get(i));
                if (ended.path("status").asText().equals("COMPLETED")) {
                    completed++;
                    scarceSold += i % 3 == 0 ? 1 : 0;
                } else {
                    assertThat(i % 3).as("only an order with the scarce product is refused: %s", ended).isZero();
                }
            }
            assertThat(scarceSold).as("the scarce product sold out, never oversold").isEqualTo(5);
            assertThat(completed).isEqualTo(CHECKOUTS - CHECKOUTS / 3 + 5);
            assertThat(api.product(scarce).path("stock").asInt()).isZero();
            assertThat(application.getBean(DroppedEventsUnlinker.class).unlinked())
                    .as("events were dropped from the cache and unlinked").isPositive();
            assertThat(application.getBean(MeterRegistry.class).get("checkout.event-store.unlinked").functionCounter()
                    .count()).as("and counted").isPositive();
            Audits.assertInvariantsHold(port, ids);
        }
    }
}
