package io.checkout.support.axon;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.monitoring.MessageMonitor;
import org.junit.jupiter.api.Test;

/** {@link AxonMonitors} registers the meters axon-micrometer's GlobalMetricRegistry would, by name, type and tags. */
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

    @SuppressWarnings("unchecked")
    private static void assertSameMeters(Class<?> component, String name, boolean dimensional,
                                         BiFunction<MeterRegistry, String, MessageMonitor<?>> ours) {
        SimpleMeterRegistry ourRegistry = new SimpleMeterRegistry();
        SimpleMeterRegistry axonRegistry = new SimpleMeterRegistry();
        GlobalMetricRegistry axon = new GlobalMetricRegistry(axonRegistry);

        handleOne((MessageMonitor<Message<?>>) ours.apply(ourRegistry, name));
        handleOne((MessageMonitor<Message<?>>) (dimensional
                ? axon.registerComponentWithDefaultTags(component, name)
                : axon.registerComponent(component, name)));

        assertThat(meters(ourRegistry)).as("dimensional: %s", dimensional)
                .isEqualTo(meters(axonRegistry))
                .anyMatch(meter -> meter.contains(".capacity GAUGE"));
    }

    private static void handleOne(MessageMonitor<Message<?>> monitor) {
        monitor.onMessageIngested(GenericEventMessage.asEventMessage("paid")).reportSuccess();
    }

    private static SortedSet<String> meters(SimpleMeterRegistry registry) {
        SortedSet<String> meters = new TreeSet<>();
        registry.getMeters().forEach(meter -> meters.add(meter.getId().getName() + " " + meter.getId().getType() + " "
                + Tags.of(meter.getId().getTags())));
        return meters;
    }
}
