package io.checkout.support.axon;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.NoOpMessageMonitorCallback;

/**
 * An event processor's monitor that passes on only the events of a type the processor has a handler for.
 * <p>
 * Every event reaches every processor: the subscribing ones with the command that applied it, the tracking ones from
 * the event store. Most processors handle a few types (the order view only the order's events), and Axon's monitors
 * do the same for every event: a lookup of each counter and timer by name, a sample in a sliding window (a skip-list
 * insert) and a histogram update. Under load 10% of the CPU samples went to the monitors, at least 45% of that for
 * events the processor then ignored. The events a processor handles are metered as before; the others are no longer
 * counted as ingested and ignored.
 * <p>
 * The processor's handler types are looked up on its first events, when the processor exists; until then (and for a
 * processor whose handlers do not say, like a saga's) every event is passed on.
 */
final class HandledEventsMonitor implements MessageMonitor<EventMessage<?>> {

    private final MessageMonitor<? super EventMessage<?>> delegate;
    private final Function<String, EventHandlerInvoker> invokers;
    private final String processor;
    private final Map<Class<?>, Boolean> handled = new ConcurrentHashMap<>();

    /**
     * @param delegate  the processor's own monitor
     * @param invokers  a processor's handler invoker by its name, or null while it does not exist yet
     * @param processor the processor's name
     */
    HandledEventsMonitor(MessageMonitor<? super EventMessage<?>> delegate,
                         Function<String, EventHandlerInvoker> invokers, String processor) {
        this.delegate = delegate;
        this.invokers = invokers;
        this.processor = processor;
    }

    @Override
    public MonitorCallback onMessageIngested(EventMessage<?> message) {
        return handles(message.getPayloadType())
                ? delegate.onMessageIngested(message)
                : NoOpMessageMonitorCallback.INSTANCE;
    }

    private boolean handles(Class<?> payloadType) {
        Boolean known = handled.get(payloadType);
        if (known != null) {
            return known;
        }
        EventHandlerInvoker invoker = invokers.apply(processor);
        if (invoker == null) {
            return true;
        }
        boolean handles = invoker.canHandleType(payloadType);
        handled.put(payloadType, handles);
        return handles;
    }
}
