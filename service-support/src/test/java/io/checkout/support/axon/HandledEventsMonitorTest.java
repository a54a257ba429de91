package io.checkout.support.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.NoOpMessageMonitorCallback;
import org.junit.jupiter.api.Test;

class HandledEventsMonitorTest {

    /** Handles strings only. */
    static class StringProjection {
        @EventHandler
        void on(String event) {
        }
    }

    private final List<Object> metered = new ArrayList<>();
    private final MessageMonitor<EventMessage<?>> axons = message -> {
        metered.add(message.getPayload());
        return NoOpMessageMonitorCallback.INSTANCE;
    };
    private final EventHandlerInvoker strings = SimpleEventHandlerInvoker.builder()
            .eventHandlers(new StringProjection())
            .build();

    @Test
    void passesOnTheEventsTheProcessorHandlesOnly() {
        HandledEventsMonitor monitor = new HandledEventsMonitor(axons, name -> strings, "strings");

        monitor.onMessageIngested(GenericEventMessage.asEventMessage("handled"));
        monitor.onMessageIngested(GenericEventMessage.asEventMessage(42));
        monitor.onMessageIngested(GenericEventMessage.asEventMessage("again"));

        assertThat(metered).containsExactly("handled", "again");
    }

    @Test
    void passesOnEverythingUntilTheProcessorExistsThenLooksItUpOnce() {
        AtomicReference<EventHandlerInvoker> processor = new AtomicReference<>();
        AtomicInteger lookups = new AtomicInteger();
        HandledEventsMonitor monitor = new HandledEventsMonitor(axons, name -> {
            lookups.incrementAndGet();
            return processor.get();
        }, "strings");

        monitor.onMessageIngested(GenericEventMessage.asEventMessage(1));
        processor.set(strings);
        monitor.onMessageIngested(GenericEventMessage.asEventMessage(2));
        monitor.onMessageIngested(GenericEventMessage.asEventMessage(3));

        assertThat(metered).containsExactly(1);
        assertThat(lookups).hasValue(2);
    }

    @Test
    void aProcessorThatDoesNotSayWhatItHandlesIsMeteredForEverything() {
        EventHandlerInvoker saysNothing = new EventHandlerInvoker() {
            @Override
            public boolean canHandle(EventMessage<?> eventMessage, org.axonframework.eventhandling.Segment segment) {
                return true;
            }

            @Override
            public void handle(EventMessage<?> message, org.axonframework.eventhandling.Segment segment) {
            }
        };
        HandledEventsMonitor monitor = new HandledEventsMonitor(axons, name -> saysNothing, "saga");

        monitor.onMessageIngested(GenericEventMessage.asEventMessage("a"));
        monitor.onMessageIngested(GenericEventMessage.asEventMessage(7));

        assertThat(metered).containsExactly("a", 7);
    }
}
