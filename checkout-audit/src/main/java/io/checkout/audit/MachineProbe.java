package io.checkout.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How fast this machine is right now: a fixed piece of work (sorting, hashing, a map's puts and gets), timed on one
 * thread while the application is idle, before the runs and after them; and the share of the machine's CPU time the
 * hypervisor kept for others ({@code steal} in {@code /proc/stat}) between the two. On a shared 2-core machine two
 * starts of one build differ by up to a quarter from one hour to the next; the probe tells a slow machine from a slow
 * build. Lower is faster; only probes of one machine compare.
 */
final class MachineProbe {

    /**
     * Rounds timed after the warm-up; the fastest is reported. On this machine, idle, the fastest of 15 repeated
     * within about 5% from one probe to the next (54 to 60 ms), their median within a fifth (56 to 84 ms).
     */
    static final int ROUNDS = 15;
    /**
     * The work first runs untimed, until the JIT compiler has compiled it: with two rounds of warm-up the first probe
     * of a run (in a fresh JVM) took 100 ms where the second, after the runs, took 63.
     */
    private static final long WARM_UP_NANOS = 3_000_000_000L;
    private static final Path PROC_STAT = Path.of("/proc/stat");

    /** One probe: the fastest round's time, and the machine's CPU counters then (null where there are none). */
    record Reading(double roundMillis, long checksum, long[] cpuTicks) {
    }

    private MachineProbe() {
    }

    static Reading measure() {
        long checksum = 0;
        long warmUpStart = System.nanoTime();
        while (System.nanoTime() - warmUpStart < WARM_UP_NANOS) {
            checksum = work();
        }
        double fastest = Double.MAX_VALUE;
        for (int i = 0; i < ROUNDS; i++) {
            long start = System.nanoTime();
            checksum = work();
            fastest = Math.min(fastest, (System.nanoTime() - start) / 1e6);
        }
        return new Reading(fastest, checksum, cpuTicks());
    }

    /** The fixed work: the same numbers every time, so the checksum is the same on every machine. */
    static long work() {
        long[] numbers = new long[1 << 19];
        long x = 42;
        for (int i = 0; i < numbers.length; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            numbers[i] = x >>> 1;
        }
        Arrays.sort(numbers);
        ByteBuffer bytes = ByteBuffer.allocate(numbers.length * Long.BYTES);
        bytes.asLongBuffer().put(numbers);
        byte[] digest;
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < 4; i++) {
                sha.update(bytes.array());
            }
            digest = sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        Map<Long, Long> map = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            map.merge(numbers[(i * 7919) & (numbers.length - 1)] & 0xFFFF, (long) i, Long::sum);
        }
        long sum = ByteBuffer.wrap(digest).getLong();
        for (long value : map.values()) {
            sum = sum * 31 + value;
        }
        return sum;
    }

    /** The machine's CPU counters (user, nice, system, idle, iowait, irq, softirq, steal), or null. */
    static long[] cpuTicks() {
        try {
            List<String> lines = Files.readAllLines(PROC_STAT);
            return lines.isEmpty() ? null : ticks(lines.get(0));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The counters of {@code /proc/stat}'s first line ("cpu  ..."), the first eight of them. */
    static long[] ticks(String cpuLine) {
        String[] fields = cpuLine.trim().split("\\s+");
        if (!fields[0].equals("cpu") || fields.length < 9) {
            return null;
        }
        long[] ticks = new long[8];
        for (int i = 0; i < 8; i++) {
            ticks[i] = Long.parseLong(fields[i + 1]);
        }
        return ticks;
    }

    /** The share of all CPU time between two readings that went to steal, in percent, or null if unknown. */
    static Double stealPercent(long[] before, long[] after) {
        Double steal = share(before, after, STEAL);
        return steal == null ? null : steal * 100;
    }

    /**
     * The cores the machine kept busy between two readings of its counters (all time but idle, iowait and steal, as a
     * share of the {@code cores}), or null if unknown.
     */
    static Double busyCores(long[] before, long[] after, int cores) {
        Double notBusy = share(before, after, IDLE, IOWAIT, STEAL);
        return notBusy == null ? null : (1 - notBusy) * cores;
    }

    private static final int IDLE = 3;
    private static final int IOWAIT = 4;
    private static final int STEAL = 7;

    /** The share of all CPU time between two readings that went to the counters named, or null if unknown. */
    private static Double share(long[] before, long[] after, int... counters) {
        if (before == null || after == null) {
            return null;
        }
        long total = 0;
        for (int i = 0; i < 8; i++) {
            total += after[i] - before[i];
        }
        long part = 0;
        for (int counter : counters) {
            part += after[counter] - before[counter];
        }
        return total <= 0 ? null : (double) part / total;
    }

    /** The line the benchmark prints. */
    static String describe(Reading before, Reading after) {
        Double steal = stealPercent(before.cpuTicks(), after.cpuTicks());
        return String.format(Locale.ROOT, "machine: a fixed piece of work took %.1f ms before the runs and %.1f ms"
                        + " after (the fastest of %d on one thread; lower is faster, compare it between runs on this"
                        + " machine)%s", before.roundMillis(), after.roundMillis(), ROUNDS,
                steal == null ? "" : String.format(Locale.ROOT, "; steal %.2f%% of the CPU time in between", steal));
    }

    /** For results: machine.json. */
    static Map<String, Object> summary(Reading before, Reading after) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("probeMillisBefore", before.roundMillis());
        summary.put("probeMillisAfter", after.roundMillis());
        summary.put("stealPercent", stealPercent(before.cpuTicks(), after.cpuTicks()));
        return summary;
    }
}
