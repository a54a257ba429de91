package io.checkout.support.axon;

import static org.axonframework.micrometer.TagsUtil.PAYLOAD_TYPE_TAG;
import static org.axonframework.micrometer.TagsUtil.PAYLOAD_TYPE_TAGGER_FUNCTION;
import static org.axonframework.micrometer.TagsUtil.PROCESSOR_NAME_TAG;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.function.Function;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.MultiMessageMonitor;

/**
 * The monitors axon-micrometer's {@code GlobalMetricRegistry} gives a component, with the same meters, names and
 * tags (dimensional or not), except that the capacity gauge comes from {@link CapacityWindowMonitor}, a processor's
 * latency gauge from {@link LatencyGaugeMonitor}, and the timers and counters from {@link PayloadTypeMetersMonitor},
 * which register their meters once per payload type.
 */
final class AxonMonitors {

    /** {@code GlobalMetricRegistry}'s name for all processors' meters when they are dimensional. */
    private static final String EVENT_PROCESSOR_METRICS_NAME = "eventProcessor";

    private AxonMonitors() {
    }

    /** An event processor's: timers, latency, capacity and counters. */
    static MessageMonitor<EventMessage<?>> eventProcessor(MeterRegistry registry, String processor, boolean dimensional) {
        String prefix = dimensional ? EVENT_PROCESSOR_METRICS_NAME : processor;
        Function<Message<?>, Iterable<Tag>> tags = dimensional
                ? message -> Tags.of(PAYLOAD_TYPE_TAG, message.getPayloadType().getSimpleName(),
                        PROCESSOR_NAME_TAG, processor)
                : message -> Tags.empty();
        Function<Message<?>, Iterable<Tag>> latencyTags = dimensional
                ? message -> Tags.of(PROCESSOR_NAME_TAG, processor)
                : message -> Tags.empty();
        return new MultiMessageMonitor<EventMessage<?>>(List.of(
                new PayloadTypeMetersMonitor(prefix, registry, tags, Clock.SYSTEM),
                new LatencyGaugeMonitor(prefix, registry, latencyTags, Clock.SYSTEM),
                new CapacityWindowMonitor(prefix, registry, tags, Clock.SYSTEM)));
    }

    /**
     * The event bus's (the event store's): timers and counters, no capacity. Axon tags its timers by payload type
     * when dimensional, its counters never.
     */
    static MessageMonitor<Message<?>> eventBus(MeterRegistry registry, String component, boolean dimensional) {
        return new PayloadTypeMetersMonitor(component, registry,
                dimensional ? PAYLOAD_TYPE_TAGGER_FUNCTION : message -> Tags.empty(),
                message -> Tags.empty(), Clock.SYSTEM);
    }

    /** A command bus's, a query bus's or a query update emitter's: timers, capacity and counters. */
    static MessageMonitor<Message<?>> handlers(MeterRegistry registry, String component, boolean dimensional) {
        Function<Message<?>, Iterable<Tag>> tags = dimensional
                ? PAYLOAD_TYPE_TAGGER_FUNCTION
                : message -> Tags.empty();
        return new MultiMessageMonitor<>(List.of(
                new PayloadTypeMetersMonitor(component, registry, tags, Clock.SYSTEM),
                new CapacityWindowMonitor(component, registry, tags, Clock.SYSTEM)));
    }
}
