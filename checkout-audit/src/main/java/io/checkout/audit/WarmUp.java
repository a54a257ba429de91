package io.checkout.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * When the benchmark's warm-up is over: after a fixed time, or ({@code --warmup auto}) once the target's JIT
 * compiler has settled. Under full load on 2 cores the compiler takes up to a core for 2.5 to 8 minutes after a
 * start (the same code, on different runs), and a window measured while it works measures the compiler's progress
 * rather than the system. The compiler's time comes from the target's {@code jvm.compilation.time} metric.
 */
final class WarmUp {

    /** Never shorter: the first minute is class loading and the first compilations. */
    static final Duration MINIMUM = Duration.ofSeconds(60);
    /** The span over which the compiler's share is measured. */
    static final Duration SPAN = Duration.ofSeconds(30);
    /** Settled: the compiler used less than this share of one core over the last {@link #SPAN}. */
    static final double SETTLED_CORES = 0.05;
    /** The fixed warm-up used when the target does not report its compiler's time. */
    static final Duration FALLBACK = Duration.ofMinutes(2);

    private final Duration fixed;
    private final Duration maximum;
    private final LongSupplier compileMillis;
    private final List<long[]> observed = new ArrayList<>();
    private boolean unknown;

    private WarmUp(Duration fixed, Duration maximum, LongSupplier compileMillis) {
        this.fixed = fixed;
        this.maximum = maximum;
        this.compileMillis = compileMillis;
    }

    static WarmUp fixed(Duration warmup) {
        return new WarmUp(warmup, warmup, null);
    }

    /**
     * @param compileMillis the target's accumulated compilation time in ms, or a negative number if it cannot tell
     * @param maximum       the warm-up ends then even if the compiler has not settled
     */
    static WarmUp untilTheCompilerSettles(LongSupplier compileMillis, Duration maximum) {
        return new WarmUp(null, maximum, compileMillis);
    }

    /** Looks at the compiler now ({@code elapsed} since the start) and says whether the warm-up is over. */
    boolean over(Duration elapsed) {
        if (fixed != null) {
            return elapsed.compareTo(fixed) >= 0;
        }
        if (elapsed.compareTo(maximum) >= 0) {
            return true;
        }
        long compiled = unknown ? -1 : compileMillis.getAsLong();
        if (compiled < 0 && !observed.isEmpty()) {
            // It answered before: a read that failed under load is skipped, not taken for a target without the metric.
            return false;
        }
        if (compiled < 0) {
            unknown = true;
            return elapsed.compareTo(FALLBACK) >= 0;
        }
        observed.add(new long[] {elapsed.toMillis(), compiled});
        while (observed.size() > 2 && elapsed.toMillis() - observed.get(1)[0] >= SPAN.toMillis()) {
            observed.remove(0);
        }
        return elapsed.compareTo(MINIMUM) >= 0 && spanned() && compilerCores() < SETTLED_CORES;
    }

    private boolean spanned() {
        return observed.size() >= 2 && last()[0] - observed.get(0)[0] >= SPAN.toMillis();
    }

    /** The compiler's share of a core over the last span observed (NaN before two observations). */
    double compilerCores() {
        if (observed.size() < 2) {
            return Double.NaN;
        }
        long[] first = observed.get(0);
        long[] last = last();
        return (double) (last[1] - first[1]) / Math.max(1, last[0] - first[0]);
    }

    private long[] last() {
        return observed.get(observed.size() - 1);
    }

    /** For the progress line. */
    String describe() {
        if (fixed != null) {
            return "";
        }
        if (unknown) {
            return ", the target reports no JIT compilation time: a fixed warm-up";
        }
        double cores = compilerCores();
        return Double.isNaN(cores) ? "" : String.format(Locale.ROOT, ", JIT compiler %.2f cores", cores);
    }
}
