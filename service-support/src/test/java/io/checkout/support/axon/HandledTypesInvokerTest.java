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
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.MultiEventHandlerInvoker;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.junit.jupiter.api.Test;

class HandledTypesInvokerTest {

    /** Handles strings, and not in a replay. */
    @DisallowReplay
    static class StringProjection {
        final List<String> seen = new ArrayList<>();

        @EventHandler
        void on(String event) {
            seen.add(event);
        }
    }

    /** Handles strings and longs, replays too. */
    static class ReplayedProjection {
        final List<Object> seen = new ArrayList<>();

        @EventHandler
        void on(String event) {
            seen.add(event);
        }

        @EventHandler
        void on(Long event) {
            seen.add(event);
        }
    }

    /** An invoker of Axon's that counts what it is asked. */
    static final class Counting implements EventHandlerInvoker {
        final EventHandlerInvoker axons;
        final AtomicInteger asked = new AtomicInteger();
        final AtomicInteger typesAsked = new AtomicInteger();
        final AtomicInteger resetsAsked = new AtomicInteger();

        Counting(Object handler) {
            this.axons = SimpleEventHandlerInvoker.builder().eventHandlers(handler).build();
        }

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
            resetsAsked.incrementAndGet();
            return axons.supportsReset();
        }
    }

    private final StringProjection strings = new StringProjection();
    private final ReplayedProjection replayed = new ReplayedProjection();
    private final Counting stringsInvoker = new Counting(strings);
    private final Counting replayedInvoker = new Counting(replayed);
    /** As Axon's module gives it to a processor. */
    private final MultiEventHandlerInvoker axons = new MultiEventHandlerInvoker(stringsInvoker, replayedInvoker);
    private final HandledTypesInvoker invoker = new HandledTypesInvoker(axons);

    @Test
    void anEventOfATypeNoHandlerTakesIsTurnedAwayWithoutAskingAxonsInvokers() {
        for (int i = 0; i < 3; i++) {
            assertThat(invoker.canHandle(GenericEventMessage.asEventMessage(i), Segment.ROOT_SEGMENT)).isFalse();
        }

        assertThat(stringsInvoker.asked).hasValue(0);
        assertThat(replayedInvoker.asked).hasValue(0);
        assertThat(stringsInvoker.typesAsked).as("once per type").hasValue(1);
    }

    @Test
    void anEventIsHandledByEachInvokerThatTakesIt() throws Exception {
        EventMessage<String> text = GenericEventMessage.asEventMessage("both");
        EventMessage<Long> number = GenericEventMessage.asEventMessage(7L);

        assertThat(invoker.canHandle(text, Segment.ROOT_SEGMENT)).isTrue();
        assertThat(invoker.canHandle(number, Segment.ROOT_SEGMENT)).isTrue();
        invoker.handle(text, Segment.ROOT_SEGMENT);
        invoker.handle(number, Segment.ROOT_SEGMENT);

        assertThat(strings.seen).containsExactly("both");
        assertThat(replayed.seen).containsExactly("both", 7L);
        assertThat(stringsInvoker.resetsAsked).as("once, when the invoker was made").hasValue(1);
    }

    /** A replayed event goes to the invokers that support a reset only, as in Axon's invoker. */
    @Test
    void aReplayGoesOnlyToTheInvokersThatSupportAReset() throws Exception {
        EventMessage<String> again = new GenericTrackedEventMessage<>(
                ReplayToken.createReplayToken(new GlobalSequenceTrackingToken(5), new GlobalSequenceTrackingToken(1)),
                GenericEventMessage.asEventMessage("again"));

        assertThat(invoker.canHandle(again, Segment.ROOT_SEGMENT)).isTrue();
        invoker.handle(again, Segment.ROOT_SEGMENT);

        assertThat(strings.seen).isEmpty();
        assertThat(replayed.seen).containsExactly("again");
        assertThat(stringsInvoker.asked).as("declined without being asked").hasValue(0);
        assertThat(axons.canHandle(again, Segment.ROOT_SEGMENT)).as("as Axon's own decides").isTrue();
        assertThat(new HandledTypesInvoker(new MultiEventHandlerInvoker(new Counting(new StringProjection())))
                .canHandle(again, Segment.ROOT_SEGMENT)).isFalse();
        // An invoker that is not Axon's multi-invoker is taken as its only part, with the same rule.
        assertThat(new HandledTypesInvoker(new Counting(new StringProjection()))
                .canHandle(again, Segment.ROOT_SEGMENT)).isFalse();
        assertThat(new HandledTypesInvoker(new Counting(new StringProjection()))
                .canHandle(GenericEventMessage.asEventMessage("live"), Segment.ROOT_SEGMENT)).isTrue();
    }

    @Test
    void resetsAndTypesAreAxonsAnswers() {
        assertThat(invoker.supportsReset()).isEqualTo(axons.supportsReset()).isTrue();
        assertThat(invoker.canHandleType(String.class)).isTrue();
        assertThat(invoker.canHandleType(Long.class)).isTrue();
        assertThat(invoker.canHandleType(Integer.class)).isFalse();
    }
}
