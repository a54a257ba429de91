package io.checkout.support.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.MultiEventHandlerInvoker;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.junit.jupiter.api.Test;

class HandledTypesInvokerTest {

    /** Handles strings only, and not in a replay. */
    @DisallowReplay
    static class StringProjection {
        final List<String> seen = new ArrayList<>();

        @EventHandler
        void on(String event) {
            seen.add(event);
        }
    }

    private final StringProjection projection = new StringProjection();
    /** As Axon's module gives it to a processor. */
    private final EventHandlerInvoker axons = new MultiEventHandlerInvoker(
            SimpleEventHandlerInvoker.builder().eventHandlers(projection).build());
    private final AtomicInteger asked = new AtomicInteger();
    private final AtomicInteger typesAsked = new AtomicInteger();
    /** Axon's invoker, counting what it is asked. */
    private final EventHandlerInvoker counting = new EventHandlerInvoker() {
        @Override
        public boolean canHandle(EventMessage<?> eventMessage, Segment segment) {
            asked.incrementAndGet();
            return axons.canHandle(eventMessage, segment);
        }

        @Override
        public boolean canHandleType(Class<?> payloadType) {
            typesAsked.incrementAndGet();
            return axons.canHandleType(payloadType);
        }

        @Override
        public void handle(EventMessage<?> message, Segment segment) throws Exception {
            axons.handle(message, segment);
        }

        @Override
        public boolean supportsReset() {
            return axons.supportsReset();
        }
    };
    private final HandledTypesInvoker invoker = new HandledTypesInvoker(counting);

    @Test
    void anEventOfATypeNoHandlerTakesIsTurnedAwayWithoutAskingAxonsInvoker() {
        for (int i = 0; i < 3; i++) {
            assertThat(invoker.canHandle(GenericEventMessage.asEventMessage(i), Segment.ROOT_SEGMENT)).isFalse();
        }

        assertThat(asked).hasValue(0);
        assertThat(typesAsked).as("once per type").hasValue(1);
    }

    @Test
    void anEventOfATypeItTakesIsStillAskedAboutAndHandled() throws Exception {
        EventMessage<String> event = GenericEventMessage.asEventMessage("handled");

        assertThat(invoker.canHandle(event, Segment.ROOT_SEGMENT)).isTrue();
        invoker.handle(event, Segment.ROOT_SEGMENT);

        assertThat(asked).hasValue(1);
        assertThat(projection.seen).containsExactly("handled");
    }

    /** The type is the lookup's; whether a replay is handled stays Axon's to say. */
    @Test
    void aReplayOfATypeItTakesIsDeclinedWhereAxonsInvokerDeclinesIt() {
        GlobalSequenceTrackingToken at = new GlobalSequenceTrackingToken(1);
        EventMessage<String> replayed = new GenericTrackedEventMessage<>(
                ReplayToken.createReplayToken(new GlobalSequenceTrackingToken(5), at),
                GenericEventMessage.asEventMessage("again"));

        assertThat(invoker.canHandle(replayed, Segment.ROOT_SEGMENT)).isFalse();
        assertThat(invoker.supportsReset()).isFalse();
        assertThat(invoker.canHandleType(String.class)).isTrue();
        assertThat(invoker.canHandleType(Integer.class)).isFalse();
    }
}
