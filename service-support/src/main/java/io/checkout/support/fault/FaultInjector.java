package io.checkout.support.fault;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the active fault rules and decides, for each message at each point, whether one fires. Every fault that
 * fires is logged and counted ({@code faults.fired{point,action}}).
 */
public class FaultInjector {

    private static final Logger log = LoggerFactory.getLogger(FaultInjector.class);

    private final List<Active> rules = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final MeterRegistry meters;

    /** A rule as it runs: its id, its own random numbers and its counts. */
    public static final class Active {
        private final String id;
        private final FaultRule rule;
        private final Random random;
        private final AtomicLong calls = new AtomicLong();
        private final AtomicLong fired = new AtomicLong();

        Active(String id, FaultRule rule) {
            this.id = id;
            this.rule = rule;
            this.random = rule.seed() == null ? new Random() : new Random(rule.seed());
        }

        public String id() {
            return id;
        }

        public FaultRule rule() {
            return rule;
        }

        public long calls() {
            return calls.get();
        }

        public long fired() {
            return fired.get();
        }

        /** Counts a matching call and says whether the fault fires on it. */
        synchronized boolean fires() {
            long call = calls.incrementAndGet();
            if (rule.limit() != null && fired.get() >= rule.limit()) {
                return false;
            }
            if (rule.nth() != null && call != rule.nth()) {
                return false;
            }
            if (rule.probability() != null && random.nextDouble() >= rule.probability()) {
                return false;
            }
            fired.incrementAndGet();
            return true;
        }
    }

    public FaultInjector(MeterRegistry meters, List<FaultRule> configured) {
        this.meters = meters;
        configured.forEach(this::add);
    }

    public Active add(FaultRule rule) {
        Active active = new Active("fault-" + ids.incrementAndGet(), rule);
        rules.add(active);
        log.warn("Fault injection on: {} {} ({})", rule.point(), rule.action(), active.id());
        return active;
    }

    public List<Active> rules() {
        return List.copyOf(rules);
    }

    public boolean remove(String id) {
        return rules.removeIf(r -> r.id().equals(id));
    }

    public void clear() {
        rules.clear();
        log.warn("Fault injection off: every rule cleared");
    }

    /**
     * The fault that fires for this message at this point, if any (the first rule that fires wins).
     *
     * @param point   the point, as in {@link FaultRule#point()}
     * @param payload the message's payload, matched as text against {@link FaultRule#matching()}
     */
    public Optional<FaultRule> fire(String point, Object payload) {
        if (rules.isEmpty()) {
            return Optional.empty();
        }
        String text = null;
        for (Active active : rules) {
            FaultRule rule = active.rule();
            if (!matchesPoint(rule.point(), point)) {
                continue;
            }
            if (rule.matching() != null) {
                text = text != null ? text : String.valueOf(payload);
                if (!text.contains(rule.matching())) {
                    continue;
                }
            }
            if (active.fires()) {
                meters.counter("faults.fired", "point", point, "action", rule.action().name()).increment();
                log.warn("Injected fault {} at {} ({}, fired {} of {} calls)", rule.action(), point, active.id(),
                        active.fired(), active.calls());
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    private static boolean matchesPoint(String rulePoint, String point) {
        if (rulePoint.equals(point)) {
            return true;
        }
        if (rulePoint.equals("*")) {
            return !point.contains(":") && !point.equals("database");
        }
        return rulePoint.endsWith(":*") && point.startsWith(rulePoint.substring(0, rulePoint.length() - 1));
    }

    /** Halts the process at once, as a crash would: no shutdown hooks, no flushing, no goodbye. */
    static void crash(String where) {
        log.error("Injected crash at {}: halting the process now", where);
        Runtime.getRuntime().halt(137);
    }
}
