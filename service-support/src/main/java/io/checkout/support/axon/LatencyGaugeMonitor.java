package io.checkout.support.axon;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.NoOpMessageMonitorCallback;

/**
 * The {@code <processor>.latency} gauge of Axon's metrics: how old (by the wall clock) the last event a processor
 * took in was, in milliseconds. Axon's {@code EventProcessorLatencyMonitor} registers the gauge again with the
 * registry for every event (a meter id built and looked up each time: 1% of the CPU a checkout); here it is
 * registered once per tags, and an event only sets its value.
 * <p>
 * The value is worked out when the gauge is read, not as each event comes in: an event only leaves itself and the time
 * it came. A tracking processor's event keeps its time as the text the event table holds, and parsing it for every
 * event was 0.6% of the CPU under load (docs/performance.md, "The load generator's client"), for a gauge read once a
 * scrape. What the gauge shows is what Axon's shows: the wall clock when the last event came in, less that event's
 * time.
 * <p>
 * Meter name and tags are Axon's. The tags of a payload type are worked out on its first event only, so they may
 * depend on nothing else, which holds for Axon's (none, or the processor's name).
 */
final class LatencyGaugeMonitor implements MessageMonitor<Message<?>> {

    private final String meterName;
    private final MeterRegistry registry;
    private final Function<Message<?>, Iterable<Tag>> tags;
    private final Clock clock;
    private final Map<Class<?>, AtomicReference<Ingested>> byPayloadType = new ConcurrentHashMap<>();
    private final Map<Tags, AtomicReference<Ingested>> byTags = new ConcurrentHashMap<>();

    /** The last event a gauge's processor took in, and when (the wall clock, in milliseconds). */
    private record Ingested(long atMillis, EventMessage<?> event) {
        long latency() {
            return atMillis - event.getTimestamp().toEpochMilli();
        }
    }

    /**
     * @param meterNamePrefix the processor's name, as Axon's monitors of the processor have it
     * @param tags            the gauge's tags, as Axon's latency monitor has them
     */
    LatencyGaugeMonitor(String meterNamePrefix, MeterRegistry registry, Function<Message<?>, Iterable<Tag>> tags,
                        Clock clock) {
        this.meterName = meterNamePrefix + ".latency";
        this.registry = registry;
        this.tags = tags;
        this.clock = clock;
    }

    @Override
    public MonitorCallback onMessageIngested(Message<?> message) {
        if (message instanceof EventMessage<?> event) {
            byPayloadType.computeIfAbsent(event.getPayloadType(),
                            type -> byTags.computeIfAbsent(Tags.of(tags.apply(event)), this::register))
                    .set(new Ingested(clock.wallTime(), event));
        }
        return NoOpMessageMonitorCallback.INSTANCE;
    }

    private AtomicReference<Ingested> register(Tags gaugeTags) {
        AtomicReference<Ingested> last = new AtomicReference<>();
        Gauge.builder(meterName, () -> {
            Ingested ingested = last.get();
            return ingested == null ? 0 : ingested.latency();
        }).tags(gaugeTags).register(registry);
        return last;
    }
}
