package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Property: however many buyers race for the last few units of one product, and whatever they ask for, the
 * approved orders never hold more than the stock, nothing is left running, and every invariant holds.
 */
class LastUnitsPropertyTest {

    private static ConfigurableApplicationContext application;
    private static Api api;
    private static int port;
    private static final Set<String> accepted = new HashSet<>();

    @BeforeContainer
    static void start() throws IOException {
        application = new SpringApplicationBuilder(CheckoutApplication.class).run("--server.port=0",
                "--checkout.data-dir=" + Files.createTempDirectory("checkout-last-units"));
        port = ((WebServerApplicationContext) application).getWebServer().getPort();
        api = new Api(port);
    }

    @AfterContainer
    static void stop() {
        application.close();
    }

    @Property(tries = 8, seed = "20261124")
    void neverMoreApprovedThanStock(@ForAll @IntRange(min = 1, max = 5) int stock,
                                    @ForAll @Size(min = 2, max = 12) List<@IntRange(min = 1, max = 3) Integer> wants)
            throws Exception {
        String product = api.createProduct("Last units", "9.00", stock);
        List<Callable<String>> buyers = new ArrayList<>();
        for (int i = 0; i < wants.size(); i++) {
            int quantity = wants.get(i);
            int buyer = i;
            buyers.add(() -> api.checkout("buyer-" + buyer, product + ":" + quantity));
        }
        List<String> ids = Api.checkoutAtOnce(buyers, wants.size());
        accepted.addAll(ids);

        int approvedUnits = 0;
        for (int i = 0; i < ids.size(); i++) {
            JsonNode ended = api.awaitEnded(ids.get(i));
            if (ended.path("status").asText().equals("COMPLETED")) {
                approvedUnits += wants.get(i);
            }
        }

        assertThat(approvedUnits).isLessThanOrEqualTo(stock);
        JsonNode after = api.product(product);
        assertThat(after.path("reserved").asInt()).isEqualTo(approvedUnits);
        assertThat(after.path("stock").asInt()).isEqualTo(stock - approvedUnits);
        Audits.assertInvariantsHold(port, accepted);
    }
}
