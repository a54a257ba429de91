package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.checkout.order.OrderServiceModule;
import io.checkout.product.ProductServiceModule;
import io.checkout.saga.SagaOrchestratorModule;
import org.axonframework.axonserver.connector.command.AxonServerCommandBus;
import org.axonframework.axonserver.connector.event.axon.AxonServerEventStore;
import org.axonframework.axonserver.connector.query.AxonServerQueryBus;
import org.axonframework.commandhandling.AsynchronousCommandBus;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.config.Configuration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The product service as docker-compose.yml starts it ({@code axonserver,product}), here with no Axon Server to
 * reach: only the product service's part is wired, Axon Server is the event store and routes commands and queries
 * (to this process's own command bus as its local segment), and health says DOWN until the server answers, so that
 * compose starts the next service only once this one is connected.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles({"axonserver", "product"})
class AxonServerProfileTest {

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TempDataDir.register(registry, "checkout-axonserver-test");
        // Nothing listens there.
        registry.add("axon.axonserver.servers", () -> "localhost:1");
    }

    @Autowired
    ApplicationContext context;

    @Autowired
    Configuration axon;

    @Autowired
    @Qualifier("localSegment")
    CommandBus localSegment;

    @Autowired
    MockMvc mvc;

    @Test
    void runsOnlyTheProductService() {
        assertThat(context.getBeansOfType(ProductServiceModule.class)).hasSize(1);
        assertThat(context.getBeansOfType(OrderServiceModule.class)).isEmpty();
        assertThat(context.getBeansOfType(SagaOrchestratorModule.class)).isEmpty();
        assertThat(context.getEnvironment().getProperty("spring.application.name")).isEqualTo("product-service");
    }

    @Test
    void usesAxonServerAsEventStoreAndRouterWithTheTunedLocalSegment() {
        assertThat(axon.eventStore()).isInstanceOf(AxonServerEventStore.class);
        assertThat(axon.queryBus()).isInstanceOf(AxonServerQueryBus.class);
        // Commands that reach this process run on the same asynchronous bus (own pool, monitors, fault
        // interceptors) as in the embedded default.
        assertThat(axon.commandBus()).isInstanceOf(AxonServerCommandBus.class)
                .extracting("localSegment").isSameAs(localSegment);
        assertThat(localSegment).isInstanceOf(AsynchronousCommandBus.class);
    }

    @Test
    void servesItsOwnApiButNotTheOrchestratorsExplorerPage() throws Exception {
        mvc.perform(get("/products")).andExpect(status().isOk());
        mvc.perform(get("/explorer.js")).andExpect(status().isNotFound());
        mvc.perform(get("/swagger-ui/index.html")).andExpect(status().isOk());
    }

    @Test
    void healthIsDownUntilAxonServerAnswers() throws Exception {
        mvc.perform(get("/actuator/health"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.components.axonServer.status").value("DOWN"));
    }
}
