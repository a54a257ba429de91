package io.checkout.support.axon;

import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.NoCache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An event-sourced aggregate is rebuilt from all its events on every command unless something stops it: a busy
 * product collects an event per reservation, so without help every reserve gets slower than the one before. Each
 * aggregate names these beans in its {@code @Aggregate}: a cache keeps loaded aggregates in memory (weak
 * references: the garbage collector may drop them, never a stale copy), and a snapshot every
 * {@code checkout.aggregates.snapshot-every} events bounds what a load after a restart or a cache miss replays.
 */
@Configuration(proxyBeanMethods = false)
class AggregateCachingConfig {

    /** @param enabled {@code checkout.aggregates.cache}: false only to measure against Axon's defaults */
    @Bean
    Cache aggregateCache(@Value("${checkout.aggregates.cache:true}") boolean enabled) {
        return enabled ? new WeakReferenceCache() : NoCache.INSTANCE;
    }

    @Bean
    SnapshotTriggerDefinition aggregateSnapshotTrigger(Snapshotter snapshotter,
                                                       @Value("${checkout.aggregates.snapshot-every:100}") int every) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, every);
    }
}
