package io.checkout.support.axon;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
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
 * Meter name and tags are Axon's. The tags of a payload type are worked out on its first event only, so they may
 * depend on nothing else, which holds for Axon's (none, or the processor's name).
 */
final class LatencyGaugeMonitor implements MessageMonitor<Message<?>> {

    private final String meterName;
    private final MeterRegistry registry;
    private final Function<Message<?>, Iterable<Tag>> tags;
    private final Clock clock;
    private final Map<Class<?>, AtomicLong> byPayloadType = new ConcurrentHashMap<>();
    private final Map<Tags, AtomicLong> byTags = new ConcurrentHashMap<>();

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
                    .set(clock.wallTime() - event.getTimestamp().toEpochMilli());
        }
        return NoOpMessageMonitorCallback.INSTANCE;
    }

    private AtomicLong register(Tags gaugeTags) {
        AtomicLong latency = new AtomicLong();
        Gauge.builder(meterName, latency::get).tags(gaugeTags).register(registry);
        return latency;
    }
}
