package io.checkout.support.axon;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.micrometer.EventProcessorLatencyMonitor;
import org.junit.jupiter.api.Test;

/** The latency gauge reads what Axon's reads, event by event, and its tags are worked out once per payload type. */
class LatencyGaugeMonitorTest {

    @Test
    void theGaugeReadsWhatAxonsReadsAfterEachEvent() {
        MockClock clock = new MockClock();
        SimpleMeterRegistry ours = new SimpleMeterRegistry();
        SimpleMeterRegistry axons = new SimpleMeterRegistry();
        LatencyGaugeMonitor monitor = new LatencyGaugeMonitor("saga", ours, m -> Tags.of("processorName", "saga"), clock);
        EventProcessorLatencyMonitor axon = EventProcessorLatencyMonitor.builder().meterNamePrefix("saga")
                .meterRegistry(axons).tagsBuilder(m -> Tags.of("processorName", "saga")).clock(clock).build();

        for (long age : List.of(40L, 5L, 1200L)) {
            clock.add(1, TimeUnit.SECONDS);
            EventMessage<?> event = at(Instant.ofEpochMilli(clock.wallTime() - age), age % 2 == 0 ? "paid" : 7);
            monitor.onMessageIngested(event).reportSuccess();
            axon.onMessageIngested(event).reportSuccess();

            assertThat(ours.get("saga.latency").tags("processorName", "saga").gauge().value())
                    .isEqualTo(axons.get("saga.latency").tags("processorName", "saga").gauge().value())
                    .isEqualTo(age);
        }
        assertThat(ours.getMeters()).hasSize(1);
    }

    @Test
    void theTagsOfAPayloadTypeAreWorkedOutOnItsFirstEventOnly() {
        AtomicInteger asked = new AtomicInteger();
        LatencyGaugeMonitor monitor = new LatencyGaugeMonitor("saga", new SimpleMeterRegistry(), m -> {
            asked.incrementAndGet();
            return Tags.empty();
        }, new MockClock());

        for (int i = 0; i < 5; i++) {
            monitor.onMessageIngested(at(Instant.EPOCH, "paid"));
            monitor.onMessageIngested(at(Instant.EPOCH, 7));
        }

        assertThat(asked).hasValue(2);
    }

    @Test
    void anEventsTimeIsReadWhenTheGaugeIsReadNotAsTheEventComesIn() {
        MockClock clock = new MockClock();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LatencyGaugeMonitor monitor = new LatencyGaugeMonitor("saga", registry, m -> Tags.empty(), clock);
        AtomicInteger timesRead = new AtomicInteger();
        Instant sent = Instant.ofEpochMilli(clock.wallTime());
        clock.add(250, TimeUnit.MILLISECONDS);

        for (int i = 0; i < 3; i++) {
            monitor.onMessageIngested(new GenericEventMessage<>(GenericEventMessage.asEventMessage("paid"), () -> {
                timesRead.incrementAndGet();
                return sent;
            })).reportSuccess();
        }
        assertThat(timesRead).hasValue(0);

        // The wall clock when the event came in counts, not when the gauge is read.
        clock.add(1, TimeUnit.SECONDS);
        assertThat(registry.get("saga.latency").gauge().value()).isEqualTo(250);
        assertThat(timesRead).hasValue(1);
    }

    private static EventMessage<?> at(Instant timestamp, Object payload) {
        return new GenericEventMessage<>(GenericEventMessage.asEventMessage(payload), () -> timestamp);
    }
}
