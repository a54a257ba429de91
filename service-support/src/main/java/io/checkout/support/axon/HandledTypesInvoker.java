package io.checkout.support.axon;

import java.util.List;
import org.axonframework.config.EventProcessingModule;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.MultiEventHandlerInvoker;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.messaging.SubscribableMessageSource;

/**
 * A processor's handler invoker that turns away, with one lookup, an event of a type none of its handlers takes.
 * <p>
 * Every event published reaches every subscribing processor, and each asks its invoker whether it can handle it.
 * Axon's invoker answers by first asking each of its handler classes whether it supports a reset (a stream over all
 * their handler methods, for every event, replay or not) and then looking for a handler of the event among them. Most
 * processors take few of the events (the order view only the order's), so most of that work ends in "no": 2% of the
 * CPU samples under load. Whether a class has a handler for a type does not change once the processor exists, so it is
 * looked up once per type; an event of a type it takes is asked about as before, since a handler may still decline
 * it (a replay, a segment, a parameter it cannot resolve). Whether each of Axon's invokers supports a reset does not
 * change either: it is asked once, and the rest of Axon's decision for each of them (a replay declined where there is
 * no reset, otherwise the invoker asked) is made here as Axon makes it.
 */
final class HandledTypesInvoker implements EventHandlerInvoker {

    /**
     * Axon's module of event processors, whose subscribing processors get their invoker wrapped; the 2% was theirs.
     * The tracking ones (the saga's) are left as Axon builds them (docs/performance.md, What comes next, 32).
     */
    static final class ProcessingModule extends EventProcessingModule {

        @Override
        protected EventProcessor subscribingEventProcessor(String name, EventHandlerInvoker eventHandlerInvoker,
                                                           SubscribableMessageSource<? extends EventMessage<?>> source) {
            return super.subscribingEventProcessor(name, new HandledTypesInvoker(eventHandlerInvoker), source);
        }
    }

    private final EventHandlerInvoker delegate;
    private final ClassValue<Boolean> handles = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return delegate.canHandleType(type);
        }
    };
    /**
     * Axon's invoker's own invokers (one per handler class, or per group of them); Axon's module always gives a
     * processor a {@link MultiEventHandlerInvoker}, and any other invoker is taken as its only part, as such a
     * multi-invoker of one would.
     */
    private final List<EventHandlerInvoker> parts;
    /** For each part, whether it supports a reset, which Axon's invoker asks again for every event. */
    private final boolean[] resettable;

    HandledTypesInvoker(EventHandlerInvoker delegate) {
        this.delegate = delegate;
        this.parts = delegate instanceof MultiEventHandlerInvoker multi ? List.copyOf(multi.delegates())
                : List.of(delegate);
        this.resettable = new boolean[parts.size()];
        for (int i = 0; i < resettable.length; i++) {
            resettable[i] = parts.get(i).supportsReset();
        }
    }

    @Override
    public boolean canHandle(EventMessage<?> eventMessage, Segment segment) {
        if (!handles.get(eventMessage.getPayloadType())) {
            return false;
        }
        for (int i = 0; i < resettable.length; i++) {
            if (takes(i, eventMessage, segment)) {
                return true;
            }
        }
        return false;
    }

    /**
     * As Axon's {@code MultiEventHandlerInvoker} decides it for each of its invokers: one that does not support a
     * reset declines a replayed event; otherwise it is asked. Only whether it supports a reset is remembered.
     */
    private boolean takes(int part, EventMessage<?> eventMessage, Segment segment) {
        return (resettable[part] || !ReplayToken.isReplay(eventMessage))
                && parts.get(part).canHandle(eventMessage, segment);
    }

    @Override
    public boolean canHandleType(Class<?> payloadType) {
        return handles.get(payloadType);
    }

    @Override
    public void handle(EventMessage<?> message, Segment segment) throws Exception {
        for (int i = 0; i < resettable.length; i++) {
            if (takes(i, message, segment)) {
                parts.get(i).handle(message, segment);
            }
        }
    }

    @Override
    public boolean supportsReset() {
        return delegate.supportsReset();
    }

    @Override
    public void performReset() {
        delegate.performReset();
    }

    @Override
    public <R> void performReset(R resetContext) {
        delegate.performReset(resetContext);
    }

    @Override
    public void segmentReleased(Segment segment) {
        delegate.segmentReleased(segment);
    }
}
