package io.checkout.support.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.micrometer.TagsUtil;
import org.axonframework.monitoring.MessageMonitor.MonitorCallback;
import org.junit.jupiter.api.Test;

class CapacityWindowMonitorTest {

    private final MockClock clock = new MockClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void twoMessagesHandledAtOnceCountTwice() {
        CapacityWindowMonitor monitor = untagged("commandBus");

        MonitorCallback one = monitor.onMessageIngested(GenericEventMessage.asEventMessage("one"));
        MonitorCallback two = monitor.onMessageIngested(GenericEventMessage.asEventMessage("two"));
        clock.add(Duration.ofMinutes(1));
        one.reportSuccess();
        two.reportFailure(new IllegalStateException("failed"));

        assertThat(capacity("commandBus", Tags.empty())).isCloseTo(2 * 60.0 / 600, within(1e-9));
    }

    @Test
    void capacityIsTheBusyTimeOfTheLastTenMinutesOverTenMinutes() {
        CapacityWindowMonitor monitor = untagged("saga");
        busy(monitor, "early", Duration.ofSeconds(60));
        clock.add(Duration.ofMinutes(5));
        busy(monitor, "later", Duration.ofSeconds(6));

        assertThat(capacity("saga", Tags.empty())).isCloseTo(66.0 / 600, within(1e-9));

        // The early minute ended 6 minutes ago; 5 more and it is out of the window, the later 6 s still in.
        clock.add(Duration.ofMinutes(5));
        assertThat(capacity("saga", Tags.empty())).isCloseTo(6.0 / 600, within(1e-9));

        clock.add(Duration.ofMinutes(10));
        assertThat(capacity("saga", Tags.empty())).isZero();
    }

    @Test
    void aSliceOfTheRingIsReusedForItsNextTurnWithoutWhatItHeld() {
        CapacityWindowMonitor monitor = untagged("saga");
        busy(monitor, "a", Duration.ofSeconds(3));
        clock.add(CapacityWindowMonitor.WINDOW);
        busy(monitor, "b", Duration.ofSeconds(4));

        assertThat(capacity("saga", Tags.empty())).isCloseTo(4.0 / 600, within(1e-9));
    }

    @Test
    void aGaugeForEachSetOfTagsAsAxonsWouldHave() {
        CapacityWindowMonitor untagged = untagged("orders");
        CapacityWindowMonitor byPayload = new CapacityWindowMonitor("eventProcessor", registry,
                TagsUtil.PAYLOAD_TYPE_TAGGER_FUNCTION, clock);

        busy(untagged, "text", Duration.ofSeconds(6));
        busy(untagged, 42, Duration.ofSeconds(12));
        busy(byPayload, "text", Duration.ofSeconds(6));
        busy(byPayload, 42, Duration.ofSeconds(12));

        assertThat(registry.find("orders.capacity").gauges()).hasSize(1);
        assertThat(capacity("orders", Tags.empty())).isCloseTo(18.0 / 600, within(1e-9));
        assertThat(registry.find("eventProcessor.capacity").gauges()).hasSize(2);
        assertThat(capacity("eventProcessor", Tags.of(TagsUtil.PAYLOAD_TYPE_TAG, "String")))
                .isCloseTo(6.0 / 600, within(1e-9));
        assertThat(capacity("eventProcessor", Tags.of(TagsUtil.PAYLOAD_TYPE_TAG, "Integer")))
                .isCloseTo(12.0 / 600, within(1e-9));
    }

    private CapacityWindowMonitor untagged(String prefix) {
        return new CapacityWindowMonitor(prefix, registry, message -> Tags.empty(), clock);
    }

    private void busy(CapacityWindowMonitor monitor, Object payload, Duration busy) {
        MonitorCallback callback = monitor.onMessageIngested(GenericEventMessage.asEventMessage(payload));
        clock.add(busy);
        callback.reportSuccess();
    }

    private double capacity(String prefix, Tags tags) {
        Gauge gauge = registry.get(prefix + ".capacity").tags(tags).gauge();
        return gauge.value();
    }
}
