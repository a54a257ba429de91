package io.checkout.support.axon;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import org.axonframework.messaging.Message;
import org.axonframework.monitoring.MessageMonitor;

/**
 * The {@code <component>.capacity} gauge of Axon's metrics (the share of the time the component spent handling
 * messages over a window: 1 means one thread busy all the time), from the busy time added up per slice of the window
 * instead of every measurement kept.
 * <p>
 * Axon's {@code CapacityMonitor} keeps every message's duration of the last 10 minutes in a skip list, for every
 * processor and bus: 23 entries a checkout, so at 160 checkouts a second some 2 million entries and 150 MB of heap
 * once a run has gone 10 minutes, every one inserted (a skip-list insert), later trimmed, and copied and summed on
 * every read of the gauge. Here a message adds its duration to the current slice's sum; the gauge adds up the slices
 * of the window (the oldest one partly outside it, so the window is as precise as a slice).
 * <p>
 * Meter names and tags are Axon's. The tags of a payload type are worked out on its first message only, so they may
 * depend on nothing else, which holds for all of Axon's (none, the payload type, the processor's name).
 */
final class CapacityWindowMonitor implements MessageMonitor<Message<?>> {

    /** Axon's window. */
    static final Duration WINDOW = Duration.ofMinutes(10);
    private static final int SLICES = 60;

    private final String meterName;
    private final MeterRegistry registry;
    private final Function<Message<?>, Iterable<Tag>> tags;
    private final Clock clock;
    private final Map<Class<?>, BusyTime> byPayloadType = new ConcurrentHashMap<>();
    private final Map<Tags, BusyTime> byTags = new ConcurrentHashMap<>();

    /**
     * @param meterNamePrefix the component's name, as Axon's monitors of the component have it
     * @param tags            the tags of a message's gauge, as Axon's monitors of the component have them
     */
    CapacityWindowMonitor(String meterNamePrefix, MeterRegistry registry, Function<Message<?>, Iterable<Tag>> tags,
                          Clock clock) {
        this.meterName = meterNamePrefix + ".capacity";
        this.registry = registry;
        this.tags = tags;
        this.clock = clock;
    }

    @Override
    public MonitorCallback onMessageIngested(Message<?> message) {
        BusyTime busy = byPayloadType.computeIfAbsent(message.getPayloadType(),
                type -> byTags.computeIfAbsent(Tags.of(tags.apply(message)), this::register));
        long start = clock.monotonicTime();
        return new MonitorCallback() {
            @Override
            public void reportSuccess() {
                ended();
            }

            @Override
            public void reportFailure(Throwable cause) {
                ended();
            }

            @Override
            public void reportIgnored() {
                ended();
            }

            private void ended() {
                long now = clock.monotonicTime();
                busy.add(now, now - start);
            }
        };
    }

    private BusyTime register(Tags gaugeTags) {
        BusyTime busy = new BusyTime(WINDOW.toNanos() / SLICES, SLICES);
        Gauge.builder(meterName, busy, b -> b.capacity(clock.monotonicTime()))
                .tags(gaugeTags)
                .register(registry);
        return busy;
    }

    /** Busy nanoseconds summed per slice of time, in a ring of slices as long as the window. */
    static final class BusyTime {

        private final long sliceNanos;
        private final int slices;
        private final AtomicLongArray sums;
        /** The number of the slice of time each place of the ring holds now ({@code now / sliceNanos}). */
        private final AtomicLongArray sliceAt;

        BusyTime(long sliceNanos, int slices) {
            this.sliceNanos = sliceNanos;
            this.slices = slices;
            this.sums = new AtomicLongArray(slices);
            this.sliceAt = new AtomicLongArray(slices);
            for (int i = 0; i < slices; i++) {
                sliceAt.set(i, Long.MIN_VALUE);
            }
        }

        void add(long now, long nanos) {
            long slice = Math.floorDiv(now, sliceNanos);
            int place = (int) Math.floorMod(slice, (long) slices);
            long held = sliceAt.get(place);
            if (held < slice && sliceAt.compareAndSet(place, held, slice)) {
                // This thread moved the place on to the new slice: what it held is a window old. A duration that
                // another thread adds between the two steps is lost, at most a few once a slice: a gauge's error.
                sums.set(place, 0);
            }
            sums.addAndGet(place, nanos);
        }

        /** The busy time of the slices in the window ending at {@code now}, as a share of the window. */
        double capacity(long now) {
            long current = Math.floorDiv(now, sliceNanos);
            long busy = 0;
            for (int place = 0; place < slices; place++) {
                long slice = sliceAt.get(place);
                if (slice > current - slices && slice <= current) {
                    busy += sums.get(place);
                }
            }
            return (double) busy / (sliceNanos * slices);
        }
    }
}
