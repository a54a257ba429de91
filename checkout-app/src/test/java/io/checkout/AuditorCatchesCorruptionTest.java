package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.checkout.audit.Auditor;
import io.checkout.audit.Snapshot;
import io.checkout.audit.Violation;
import io.checkout.shared.order.OrderId;
import io.checkout.shared.product.ProductId;
import io.checkout.shared.product.ReleaseStockCommand;
import java.util.List;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The auditor can fail: state broken on purpose behind the saga's back is reported, with its ids. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuditorCatchesCorruptionTest {

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TempDataDir.register(registry, "checkout-corruption-test");
    }

    @LocalServerPort
    int port;

    @Autowired
    CommandGateway commands;

    @Test
    void reportsAnApprovedOrderWhoseStockWasReleasedBehindTheSagasBack() {
        Api api = new Api(port);
        String product = api.createProduct("Tampered", "1.00", 5);
        JsonNode completed = api.awaitEnded(api.checkout("victim", product + ":2"));
        assertThat(completed.path("status").asText()).isEqualTo("COMPLETED");
        Auditor auditor = new Auditor(Auditor.Settings.strict());
        assertThat(auditor.audit(Snapshot.read(Audits.client(port, null)), List.of())).isEmpty();

        // A rogue release: no saga would send it for an approved order.
        commands.sendAndWait(new ReleaseStockCommand(new ProductId(product),
                new OrderId(completed.path("orderId").asText())));
        await().until(() -> api.product(product).path("reserved").asInt() == 0);

        List<Violation> violations = auditor.audit(Snapshot.read(Audits.client(port, null)), List.of());
        assertThat(violations).extracting(Violation::toString).containsExactly("[I1] order "
                + completed.path("orderId").asText() + ": APPROVED, but product " + product
                + " holds RELEASED 0 of the 2 ordered");
    }
}
