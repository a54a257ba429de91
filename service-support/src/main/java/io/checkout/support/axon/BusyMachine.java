package io.checkout.support.axon;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;

/**
 * Whether the machine's CPU is at least this busy: the JDK's CPU load of the whole machine (of the container, where
 * the JVM runs in one), read at most every 250 ms by whichever caller comes first, each read covering the time since
 * the last. A machine whose load cannot be read is never busy.
 */
public final class BusyMachine implements BooleanSupplier {

    private static final long SAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final double threshold;
    private final DoubleSupplier cpuLoad;
    private final AtomicLong nextSample = new AtomicLong(System.nanoTime());
    private volatile boolean busy;

    /**
     * @param threshold the share of all cores in use (0 to 1) from which the machine is busy
     * @param cpuLoad   the share of all cores in use since the last call, negative if unknown
     */
    public BusyMachine(double threshold, DoubleSupplier cpuLoad) {
        this.threshold = threshold;
        this.cpuLoad = cpuLoad;
    }

    /** The machine's own CPU load, from the JDK's operating-system bean. */
    public static BusyMachine fromCpuLoad(double threshold) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return new BusyMachine(threshold, os::getCpuLoad);
    }

    @Override
    public boolean getAsBoolean() {
        long now = System.nanoTime();
        long next = nextSample.get();
        if (now - next >= 0 && nextSample.compareAndSet(next, now + SAMPLE_NANOS)) {
            double load = cpuLoad.getAsDouble();
            busy = load >= 0 && load >= threshold;
        }
        return busy;
    }
}
