package io.checkout.support.axon;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.monitoring.MessageMonitor;
import org.junit.jupiter.api.Test;

/**
 * {@link AxonMonitors} registers the meters axon-micrometer's GlobalMetricRegistry would, by name, type and tags, and
 * its timers and counters count what Axon's do, message by message and outcome by outcome.
 */
class AxonMonitorsTest {

    @Test
    void aProcessorsMetersAreAxonsDimensionalOrNot() {
        for (boolean dimensional : new boolean[] {false, true}) {
            assertSameMeters(EventProcessor.class, "saga", dimensional,
                    (registry, name) -> AxonMonitors.eventProcessor(registry, name, dimensional));
        }
    }

    @Test
    void aCommandBussMetersAreAxonsDimensionalOrNot() {
        for (boolean dimensional : new boolean[] {false, true}) {
            assertSameMeters(CommandBus.class, "commandBus", dimensional,
                    (registry, name) -> AxonMonitors.handlers(registry, name, dimensional));
        }
    }

    @Test
    void theEventBussMetersAreAxonsDimensionalOrNot() {
        for (boolean dimensional : new boolean[] {false, true}) {
            assertSameMeters(EventBus.class, "eventStore", dimensional,
                    (registry, name) -> AxonMonitors.eventBus(registry, name, dimensional));
        }
    }

    @SuppressWarnings("unchecked")
    private static void assertSameMeters(Class<?> component, String name, boolean dimensional,
                                         BiFunction<MeterRegistry, String, MessageMonitor<?>> ours) {
        SimpleMeterRegistry ourRegistry = new SimpleMeterRegistry();
        SimpleMeterRegistry axonRegistry = new SimpleMeterRegistry();
        GlobalMetricRegistry axon = new GlobalMetricRegistry(axonRegistry);

        handleSome((MessageMonitor<Message<?>>) ours.apply(ourRegistry, name));
        handleSome((MessageMonitor<Message<?>>) (dimensional
                ? axon.registerComponentWithDefaultTags(component, name)
                : axon.registerComponent(component, name)));

        SortedSet<String> meters = meters(ourRegistry);
        assertThat(meters).as("dimensional: %s", dimensional)
                .isEqualTo(meters(axonRegistry))
                .anyMatch(meter -> meter.contains(".successCounter COUNTER") && meter.endsWith("count=2.0"))
                .anyMatch(meter -> meter.contains(".ignoredTimer TIMER") && meter.contains("count=1 "));
        if (!EventBus.class.isAssignableFrom(component)) {
            assertThat(meters).anyMatch(meter -> meter.contains(".capacity GAUGE"));
        }
    }

    /** Two payload types, each outcome, one message still in hand. */
    private static void handleSome(MessageMonitor<Message<?>> monitor) {
        monitor.onMessageIngested(GenericEventMessage.asEventMessage("paid")).reportSuccess();
        monitor.onMessageIngested(GenericEventMessage.asEventMessage("paid")).reportSuccess();
        monitor.onMessageIngested(GenericEventMessage.asEventMessage("refused"))
                .reportFailure(new IllegalStateException("out of stock"));
        monitor.onMessageIngested(GenericEventMessage.asEventMessage(42)).reportIgnored();
        monitor.onMessageIngested(GenericEventMessage.asEventMessage(43));
    }

    /** Each meter's name, type, tags and what it counted (a timer's count, a counter's total). */
    private static SortedSet<String> meters(SimpleMeterRegistry registry) {
        SortedSet<String> meters = new TreeSet<>();
        registry.getMeters().forEach(meter -> meters.add(meter.getId().getName() + " " + meter.getId().getType() + " "
                + Tags.of(meter.getId().getTags()) + " " + counted(meter)));
        return meters;
    }

    private static String counted(Meter meter) {
        if (meter instanceof Timer timer) {
            return "count=" + timer.count() + " percentiles="
                    + timer.takeSnapshot().percentileValues().length;
        }
        if (meter instanceof Counter counter) {
            return "count=" + counter.count();
        }
        return "";
    }
}
