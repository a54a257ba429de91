package io.checkout.support.distributed;

import java.time.Duration;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/** The event store and the command routing of a service that shares its event store with other processes. */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
class DistributedConfig {

    /**
     * The event store, watching for events other processes append every {@code checkout.event-store.fetch-delay}.
     * Axon's embedded store looks only once a second when idle (and has no property for it): every step of a
     * checkout that crosses a process would wait up to a second for it.
     */
    @Bean
    @ConditionalOnProperty("checkout.event-store.fetch-delay")
    EmbeddedEventStore eventStore(EventStorageEngine storageEngine, Configuration configuration,
                                  Environment environment) {
        Duration fetchDelay = environment.getRequiredProperty("checkout.event-store.fetch-delay", Duration.class);
        return EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .fetchDelay(fetchDelay.toMillis())
                .build();
    }

    /**
     * Hands the JGroups members to find at start ({@code checkout.cluster.members}, as {@code host[port],...}) to the
     * JGroups stack file, which reads them from a system property. It runs before any bean exists, so before the
     * connector reads the file.
     */
    @Bean
    static BeanFactoryPostProcessor jgroupsInitialMembers(Environment environment) {
        return beanFactory -> {
            String members = environment.getProperty("checkout.cluster.members");
            if (members != null && !members.isBlank()) {
                System.setProperty("jgroups.tcpping.initial_hosts", members);
            }
        };
    }
}
