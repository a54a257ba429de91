package io.checkout;

import io.checkout.order.OrderServiceModule;
import io.checkout.product.ProductServiceModule;
import io.checkout.saga.SagaOrchestratorModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The launcher of every mode. By default (the embedded default) the order service, the product service and the saga
 * orchestrator run in one JVM on one embedded H2 file database, Axon Server switched off. With the profile
 * {@code order}, {@code product} or {@code orchestrator} it runs that one service, with {@code multi-process}
 * (PostgreSQL event store, JGroups command routing) or {@code axonserver}: the services' code is the same in every
 * mode, only configuration differs.
 */
@SpringBootApplication(scanBasePackages = "io.checkout.support")
@Import({ProductServiceModule.class, OrderServiceModule.class, SagaOrchestratorModule.class, H2Housekeeping.class,
        H2ChunkGate.class, H2GroupCommit.class, H2FileMetrics.class, DurableAnswersFilter.class})
public class CheckoutApplication {

    private static final Logger log = LoggerFactory.getLogger(CheckoutApplication.class);

    public static void main(String[] args) {
        jvmDefaults();
        SpringApplication.run(CheckoutApplication.class, args);
    }

    /** System properties read once by the libraries' classes, so set before they load; one given with -D wins. */
    static void jvmDefaults() {
        // Axon 4.13 asks the network for updates at start; there is nothing to ask on a closed network.
        System.setProperty("axoniq.update-checker.disabled",
                System.getProperty("axoniq.update-checker.disabled", "true"));
        // H2 passes every value it makes (each parameter bound, each column read) through one cache shared by all
        // threads, to hand out equal values once: a hash, a call to equals that the JIT cannot inline, and a write
        // to an array every core shares. The values live no longer than a statement, and the cache was 1.2% of the
        // CPU samples under load (docs/performance.md, "Smaller costs, and a duplicate delivered again").
        System.setProperty("h2.objectCache", System.getProperty("h2.objectCache", "false"));
    }

    @Bean
    ApplicationListener<WebServerInitializedEvent> announceUrls() {
        return event -> {
            int port = event.getWebServer().getPort();
            log.info("Checkout system ready: http://localhost:{}/checkouts, /products, /orders/{id}, "
                    + "health at http://localhost:{}/actuator/health", port, port);
        };
    }
}
