package io.checkout;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

/**
 * The embedded default: order service, product service and saga orchestrator in one JVM, on one embedded H2 file
 * database, Axon Server switched off. The services' code is the same as when they run apart; only configuration
 * differs.
 */
@SpringBootApplication
public class CheckoutApplication {

    private static final Logger log = LoggerFactory.getLogger(CheckoutApplication.class);

    public static void main(String[] args) {
        // Axon 4.13 asks the network for updates at start; there is nothing to ask on a closed network.
        System.setProperty("axoniq.update-checker.disabled", "true");
        SpringApplication.run(CheckoutApplication.class, args);
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
