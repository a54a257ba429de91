package io.checkout.support.axon;

import org.axonframework.config.EventProcessingModule;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventProcessor;
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
 * it (a replay, a segment, a parameter it cannot resolve).
 */
final class HandledTypesInvoker implements EventHandlerInvoker {

    /**
     * Axon's module of event processors, whose subscribing processors get their invoker wrapped. The tracking ones
     * (the saga's: its invoker is the saga manager, which answers by type already) are left as Axon builds them.
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

    HandledTypesInvoker(EventHandlerInvoker delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean canHandle(EventMessage<?> eventMessage, Segment segment) {
        return handles.get(eventMessage.getPayloadType()) && delegate.canHandle(eventMessage, segment);
    }

    @Override
    public boolean canHandleType(Class<?> payloadType) {
        return handles.get(payloadType);
    }

    @Override
    public void handle(EventMessage<?> message, Segment segment) throws Exception {
        delegate.handle(message, segment);
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
