package io.checkout.support.axon;

import javax.sql.DataSource;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * The event storage engine of every mode that keeps its events in its own database (not Axon Server), built as Axon's
 * auto-configuration builds its JPA engine (which then steps back): {@code checkout.event-store.engine} {@code jpa},
 * Axon's JPA engine with the gap query of {@link GapQueryJpaEventStorageEngine}, or {@code jdbc}, Axon's JDBC engine
 * over the same tables with the statements of {@link JdbcEventStatements}.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
class EventStoreConfig {

    /**
     * @param engine        {@code checkout.event-store.engine}: {@code jpa} (the default) or {@code jdbc}
     * @param splitGapQuery {@code checkout.event-store.split-gap-query}: false only to measure Axon's own query
     */
    @Bean
    EventStorageEngine eventStorageEngine(Serializer defaultSerializer,
                                          PersistenceExceptionResolver persistenceExceptionResolver,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          Configuration configuration, EntityManagerProvider entityManagerProvider,
                                          TransactionManager transactionManager, DataSource dataSource,
                                          @Value("${checkout.event-store.engine:jpa}") String engine,
                                          @Value("${checkout.event-store.split-gap-query:true}") boolean splitGapQuery) {
        if (engine.equals("jdbc")) {
            JdbcStores.requireH2(dataSource, "checkout.event-store.engine=jdbc");
            JdbcEventStorageEngine.Builder builder = JdbcEventStorageEngine.builder()
                    .snapshotSerializer(defaultSerializer)
                    .upcasterChain(configuration.upcasterChain())
                    .persistenceExceptionResolver(persistenceExceptionResolver)
                    .eventSerializer(eventSerializer)
                    .snapshotFilter(configuration.snapshotFilter())
                    .connectionProvider(new SpringDataSourceConnectionProvider(dataSource))
                    .transactionManager(transactionManager);
            return new JdbcEventStatements().configure(builder, splitGapQuery).build();
        }
        if (!engine.equals("jpa")) {
            throw new IllegalArgumentException("checkout.event-store.engine is jpa or jdbc, not " + engine);
        }
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
