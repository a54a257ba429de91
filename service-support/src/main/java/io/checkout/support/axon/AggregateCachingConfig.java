package io.checkout.support.axon;

import com.github.benmanes.caffeine.jcache.configuration.CaffeineConfiguration;
import com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.OptionalLong;
import java.util.UUID;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.JCacheAdapter;
import org.axonframework.common.caching.NoCache;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An event-sourced aggregate is rebuilt from all its events on every command unless something stops it: a busy
 * product collects an event per reservation, so without help every reserve gets slower than the one before. Each
 * aggregate names these beans in its {@code @Aggregate}: a cache keeps loaded aggregates in memory, and a snapshot
 * every {@code checkout.aggregates.snapshot-every} events bounds what a load after a restart or a cache miss replays.
 * <p>
 * The cache holds the {@code checkout.aggregates.cache-size} most recently used aggregates (Caffeine, through
 * JCache). Axon's {@code WeakReferenceCache} was tried first: every young collection empties it, so under load
 * nearly every command loaded its aggregate from a snapshot and the events after it. A cached aggregate is never
 * stale: each aggregate type lives in one process (one JVM, or its own service's process), and Axon drops the entry
 * when a command's unit of work rolls back. Stored by reference, never copied.
 * <p>
 * A snapshot every 1,000 events by default, written from the aggregate the command holds ({@link
 * UnitOfWorkSnapshotter}). Axon's snapshotter builds each one from the store (the last snapshot and the events after
 * it), and a product's state holds a claim for every order it has seen, so that costs more the longer the product
 * has sold: every 100 events, snapshots were 3% of the CPU samples after 50,000 checkouts, most of it reading the last
 * one back. A cached aggregate is not replayed at all; after a restart or an eviction, at most 999 events are.
 */
@Configuration(proxyBeanMethods = false)
class AggregateCachingConfig {

    /** @param enabled {@code checkout.aggregates.cache}: false only to measure against Axon's defaults */
    @Bean
    Cache aggregateCache(@Value("${checkout.aggregates.cache:true}") boolean enabled,
                         javax.cache.Cache<Object, Object> aggregateCacheStore) {
        return enabled ? new JCacheAdapter(aggregateCacheStore) : NoCache.INSTANCE;
    }

    /** Named per application context (a test suite starts several in one JVM), and closed with it. */
    @Bean(destroyMethod = "close")
    javax.cache.Cache<Object, Object> aggregateCacheStore(@Value("${checkout.aggregates.cache-size:10000}") long size) {
        CaffeineConfiguration<Object, Object> configuration = new CaffeineConfiguration<>();
        configuration.setMaximumSize(OptionalLong.of(size));
        configuration.setStoreByValue(false);
        // The cache's upkeep (eviction, the buffers of reads and writes) on the thread that used it, not handed to the
        // common pool after writes: the hand-off, a wake-up of another thread, cost more than the work
        // (docs/performance.md).
        configuration.setExecutorFactory(() -> Runnable::run);
        CacheManager manager = Caching.getCachingProvider(CaffeineCachingProvider.class.getName(),
                CaffeineCachingProvider.class.getClassLoader()).getCacheManager();
        return manager.createCache("aggregates-" + UUID.randomUUID(), configuration);
    }

    /**
     * How a command names its aggregate: {@link CachingCommandTargetResolver}, or Axon's own (which searches the
     * command's members on every command) with {@code checkout.aggregates.cached-targets} false, for Axon's defaults.
     * Axon takes it for every aggregate from the Spring context.
     */
    @Bean
    CommandTargetResolver commandTargetResolver(@Value("${checkout.aggregates.cached-targets:true}") boolean cached) {
        return cached ? new CachingCommandTargetResolver() : AnnotationCommandTargetResolver.builder().build();
    }

    /**
     * @param fromUnitOfWork {@code checkout.aggregates.snapshot-from-unit-of-work}: false leaves every snapshot to
     *                       Axon's snapshotter, which rebuilds it from the store (for Axon's defaults)
     */
    @Bean
    SnapshotTriggerDefinition aggregateSnapshotTrigger(Snapshotter snapshotter,
                                                       @Value("${checkout.aggregates.snapshot-every:1000}") int every,
                                                       @Value("${checkout.aggregates.snapshot-from-unit-of-work:true}")
                                                       boolean fromUnitOfWork,
                                                       ObjectProvider<org.axonframework.config.Configuration> axon,
                                                       MeterRegistry meters) {
        if (!fromUnitOfWork) {
            return new EventCountSnapshotTriggerDefinition(snapshotter, every);
        }
        return UnitOfWorkSnapshotter.triggers(new EventCountSnapshotTriggerDefinition(
                new UnitOfWorkSnapshotter(snapshotter, axon::getObject, meters), every));
    }
}
