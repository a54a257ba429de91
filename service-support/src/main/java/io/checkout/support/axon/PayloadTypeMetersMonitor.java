package io.checkout.support.axon;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.axonframework.messaging.Message;
import org.axonframework.monitoring.MessageMonitor;

/**
 * The timers of Axon's {@code MessageTimerMonitor} and the counters of its {@code MessageCountingMonitor}, the same
 * meters (names, types, tags, percentiles and their expiry) counting the same things, but registered on a payload
 * type's first message and kept.
 * <p>
 * Axon's two monitors look their nine meters up by name and tags for every message: a name, a tag list, a builder
 * and a meter id made, and the registry's map searched, nine times a message, some 200 times a checkout (2% of the
 * application's CPU under load, 2026-11-25). Here a message costs one map read. Like {@link CapacityWindowMonitor},
 * the tags of a payload type are worked out on its first message only, so they may depend on nothing else, which
 * holds for all of Axon's (none, the payload type, the processor's name).
 */
final class PayloadTypeMetersMonitor implements MessageMonitor<Message<?>> {

    /** Axon's {@code MessageTimerMonitor}'s. */
    private static final double[] PERCENTILES = {0.5, 0.75, 0.95, 0.98, 0.99, 0.999};
    private static final Duration PERCENTILE_EXPIRY = Duration.ofMinutes(10);

    private final String prefix;
    private final MeterRegistry registry;
    private final Function<Message<?>, Iterable<Tag>> timerTags;
    private final Function<Message<?>, Iterable<Tag>> counterTags;
    private final Clock clock;
    private final Map<Class<?>, Meters> byPayloadType = new ConcurrentHashMap<>();

    /**
     * @param meterNamePrefix the component's name, as Axon's monitors of the component have it
     * @param tags            the tags of a message's meters, as Axon's monitors of the component have them
     */
    PayloadTypeMetersMonitor(String meterNamePrefix, MeterRegistry registry,
                             Function<Message<?>, Iterable<Tag>> tags, Clock clock) {
        this(meterNamePrefix, registry, tags, tags, clock);
    }

    /**
     * For a component whose timers and counters Axon tags differently (the event bus: its counters never tagged).
     */
    PayloadTypeMetersMonitor(String meterNamePrefix, MeterRegistry registry,
                             Function<Message<?>, Iterable<Tag>> timerTags,
                             Function<Message<?>, Iterable<Tag>> counterTags, Clock clock) {
        this.prefix = meterNamePrefix;
        this.registry = registry;
        this.timerTags = timerTags;
        this.counterTags = counterTags;
        this.clock = clock;
    }

    @Override
    public MonitorCallback onMessageIngested(Message<?> message) {
        Meters meters = byPayloadType.get(message.getPayloadType());
        if (meters == null) {
            meters = byPayloadType.computeIfAbsent(message.getPayloadType(),
                    type -> new Meters(Tags.of(timerTags.apply(message)), Tags.of(counterTags.apply(message))));
        }
        meters.ingested.increment();
        long start = clock.monotonicTime();
        Meters m = meters;
        return new MonitorCallback() {
            @Override
            public void reportSuccess() {
                end(m.successTime, m.processed, m.success);
            }

            @Override
            public void reportFailure(Throwable cause) {
                end(m.failureTime, m.processed, m.failure);
            }

            @Override
            public void reportIgnored() {
                end(m.ignoredTime, m.ignored);
            }

            /** As Axon's monitors: all and the outcome's timer, then the outcome's counters. */
            private void end(Timer outcome, Counter... counters) {
                long duration = clock.monotonicTime() - start;
                m.all.record(duration, TimeUnit.NANOSECONDS);
                outcome.record(duration, TimeUnit.NANOSECONDS);
                for (Counter counter : counters) {
                    counter.increment();
                }
            }
        };
    }

    /** One payload type's meters, as Axon names them. */
    private final class Meters {

        final Timer all;
        final Timer successTime;
        final Timer failureTime;
        final Timer ignoredTime;
        final Counter ingested;
        final Counter success;
        final Counter failure;
        final Counter processed;
        final Counter ignored;

        Meters(Tags timerTags, Tags counterTags) {
            all = timer("allTimer", timerTags);
            successTime = timer("successTimer", timerTags);
            failureTime = timer("failureTimer", timerTags);
            ignoredTime = timer("ignoredTimer", timerTags);
            ingested = registry.counter(prefix + ".ingestedCounter", counterTags);
            success = registry.counter(prefix + ".successCounter", counterTags);
            failure = registry.counter(prefix + ".failureCounter", counterTags);
            processed = registry.counter(prefix + ".processedCounter", counterTags);
            ignored = registry.counter(prefix + ".ignoredCounter", counterTags);
        }

        private Timer timer(String name, Tags tags) {
            return Timer.builder(prefix + "." + name)
                    .distributionStatisticExpiry(PERCENTILE_EXPIRY)
                    .publishPercentiles(PERCENTILES)
                    .tags(tags)
                    .register(registry);
        }
    }
}
