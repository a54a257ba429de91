package io.checkout.support.axon;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * The event storage engine of every mode that keeps its events in its own database (not Axon Server): Axon's JPA
 * engine, built as its auto-configuration builds it (which then steps back), with the gap query of
 * {@link GapQueryJpaEventStorageEngine}.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
class EventStoreConfig {

    /** @param splitGapQuery {@code checkout.event-store.split-gap-query}: false only to measure Axon's own query */
    @Bean
    JpaEventStorageEngine eventStorageEngine(Serializer defaultSerializer,
                                             PersistenceExceptionResolver persistenceExceptionResolver,
                                             @Qualifier("eventSerializer") Serializer eventSerializer,
                                             Configuration configuration, EntityManagerProvider entityManagerProvider,
                                             TransactionManager transactionManager,
                                             @Value("${checkout.event-store.split-gap-query:true}") boolean splitGapQuery) {
        JpaEventStorageEngine.Builder builder = JpaEventStorageEngine.builder()
                .snapshotSerializer(defaultSerializer)
                .upcasterChain(configuration.upcasterChain())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .eventSerializer(eventSerializer)
                .snapshotFilter(configuration.snapshotFilter())
                .entityManagerProvider(entityManagerProvider)
                .transactionManager(transactionManager);
        return splitGapQuery ? new GapQueryJpaEventStorageEngine(builder) : builder.build();
    }
}
