package io.checkout.saga;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.domain.EntityScan;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/**
 * The saga orchestrator, as one unit a launcher imports: its aggregate, handlers, read models, repositories and HTTP
 * API. It is on unless {@code checkout.services.orchestrator} is false, so one launcher runs all three services (the
 * embedded default) or only this one (its own process: the {@code orchestrator} profile).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "checkout.services", name = "orchestrator", havingValue = "true", matchIfMissing = true)
@ComponentScan
@EntityScan
@EnableJpaRepositories
public class SagaOrchestratorModule {
}
