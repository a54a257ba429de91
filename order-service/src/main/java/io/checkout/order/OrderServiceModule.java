package io.checkout.order;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.domain.EntityScan;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/**
 * The order service, as one unit a launcher imports: its aggregate, handlers, read models, repositories and HTTP
 * API. It is on unless {@code checkout.services.order} is false, so one launcher runs all three services (the
 * embedded default) or only this one (its own process: the {@code order} profile).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "checkout.services", name = "order", havingValue = "true", matchIfMissing = true)
@ComponentScan
@EntityScan
@EnableJpaRepositories
public class OrderServiceModule {
}
