package io.checkout.support.axon;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import javax.sql.DataSource;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * The event store and its storage engine in every mode that keeps its events in a database (not Axon Server), built as
 * Axon's auto-configuration builds them (which then steps back), with what it has no property for.
 * <p>
 * The engine: {@code checkout.event-store.engine} {@code jpa}, Axon's JPA engine with the gap query of
 * {@link GapQueryJpaEventStorageEngine}, or {@code jdbc}, Axon's JDBC engine over the same tables with the statements
 * of {@link JdbcEventStatements}.
 * <p>
 * The store: Axon's {@link EmbeddedEventStore}, which reads the new events once for all tracking processors and keeps
 * the last {@code checkout.event-store.cached-events} of them in memory for those that follow close behind (a
 * processor further behind reads from the database on its own until it has caught up). It looks for events other
 * processes appended every {@code checkout.event-store.fetch-delay}; its own are signalled at once. The events it
 * drops from that cache are unlinked from the ones it keeps ({@link DroppedEventsUnlinker}), so that they die young.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
class EventStoreConfig {

    /**
     * @param cachedEvents {@code checkout.event-store.cached-events}: Axon's 10,000 by default, about two seconds of
     *                     events at full load here, long enough for each to be copied by several young collections;
     *                     the embedded default keeps 1,000 (docs/design.md #42)
     * @param fetchDelay   {@code checkout.event-store.fetch-delay}: Axon's 1 s by default; in one JVM every event is
     *                     signalled as it is committed, but a step of a checkout that crosses processes would wait up
     *                     to this for it
     */
    @Bean
    EmbeddedEventStore eventStore(EventStorageEngine storageEngine, Configuration configuration,
                                  @Value("${checkout.event-store.cached-events:10000}") int cachedEvents,
                                  @Value("${checkout.event-store.fetch-delay:1s}") Duration fetchDelay) {
        return EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .cachedEvents(cachedEvents)
                .fetchDelay(fetchDelay.toMillis())
                .build();
    }

    /**
     * @param period {@code checkout.event-store.unlink-every}: how often the events dropped from the store's cache are
     *               unlinked (20 ms by default; 0 leaves them linked, as Axon does); the meter
     *               {@code checkout.event-store.unlinked} counts them
     */
    @Bean(destroyMethod = "close")
    DroppedEventsUnlinker droppedEventsUnlinker(EmbeddedEventStore eventStore, ObjectProvider<MeterRegistry> meters,
                                                @Value("${checkout.event-store.unlink-every:20ms}") Duration period) {
        DroppedEventsUnlinker unlinker = DroppedEventsUnlinker.start(eventStore, period);
        meters.ifAvailable(registry -> FunctionCounter
                .builder("checkout.event-store.unlinked", unlinker, DroppedEventsUnlinker::unlinked)
                .description("Events the event store dropped from its cache of the newest and the unlinker unlinked"
                        + " (docs/design.md #42)")
                .register(registry));
        return unlinker;
    }

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
