package io.checkout.support.axon;

import java.time.Duration;
import java.util.List;
import org.axonframework.config.Configuration;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.messaging.timeout.HandlerTimeoutHandlerEnhancerDefinition;
import org.axonframework.springboot.TimeoutProperties;
import org.axonframework.springboot.autoconfig.AxonTimeoutAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * What Axon's {@link AxonTimeoutAutoConfiguration} makes, with {@link UnitOfWorkWatchdog} in place of Axon's
 * watchdog around each unit of work: the same settings ({@code axon.timeout.*}), the same components watched (every
 * event processor, the command bus, the query bus, the deadline manager), and Axon's enhancer for the handler-level
 * timeouts and {@code @MessageHandlerTimeout}. In place where {@code spring.autoconfigure.exclude} names Axon's
 * (application.yml does); the {@code axon-defaults} profile names nothing and keeps Axon's own.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
@Conditional(UnitOfWorkWatchdogConfig.AxonTimeoutsExcluded.class)
@ConditionalOnProperty(name = "axon.timeout.enabled", matchIfMissing = true)
@EnableConfigurationProperties(TimeoutProperties.class)
class UnitOfWorkWatchdogConfig {

    /** How often the watchdog looks at the running units of work; Axon warns at most once a second by default. */
    private static final Duration SCAN = Duration.ofMillis(100);

    @Bean
    HandlerTimeoutHandlerEnhancerDefinition messageTimeoutHandlerEnhancerDefinition(TimeoutProperties properties) {
        return new HandlerTimeoutHandlerEnhancerDefinition(
                properties.getHandler().toMessageHandlerTimeoutConfiguration());
    }

    @Bean(destroyMethod = "close")
    UnitOfWorkWatchdog unitOfWorkWatchdog() {
        return new UnitOfWorkWatchdog(SCAN);
    }

    @Bean
    ConfigurerModule unitOfWorkWatchdogModule(UnitOfWorkWatchdog watchdog, TimeoutProperties properties) {
        TimeoutProperties.TransactionTimeoutProperties settings = properties.getTransaction();
        return configurer -> {
            configurer.eventProcessing().registerDefaultHandlerInterceptor((config, name) -> watchdog.interceptor(
                    "EventProcessor[" + name + "]",
                    settings.getEventProcessor().getOrDefault(name, settings.getEventProcessors())));
            // As Axon's: on the buses and the deadline manager once they are built, around their other interceptors.
            configurer.onStart(Integer.MIN_VALUE, () -> {
                Configuration config = configurer.buildConfiguration();
                if (config.commandBus() != null) {
                    config.commandBus().registerHandlerInterceptor(watchdog.interceptor(
                            config.commandBus().getClass().getSimpleName(), settings.getCommandBus()));
                }
                if (config.queryBus() != null) {
                    config.queryBus().registerHandlerInterceptor(watchdog.interceptor(
                            config.queryBus().getClass().getSimpleName(), settings.getQueryBus()));
                }
                if (config.deadlineManager() != null) {
                    config.deadlineManager().registerHandlerInterceptor(watchdog.interceptor(
                            config.deadlineManager().getClass().getSimpleName(), settings.getDeadline()));
                }
            });
        };
    }

    /** Whether {@code spring.autoconfigure.exclude} names Axon's timeout auto-configuration. */
    static final class AxonTimeoutsExcluded extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            List<String> excluded = Binder.get(context.getEnvironment())
                    .bind("spring.autoconfigure.exclude", Bindable.listOf(String.class)).orElse(List.of());
            return excluded.contains(AxonTimeoutAutoConfiguration.class.getName())
                    ? ConditionOutcome.match("Axon's timeout auto-configuration is excluded")
                    : ConditionOutcome.noMatch("Axon's timeout auto-configuration is in place");
        }
    }
}
