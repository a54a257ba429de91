package io.checkout.saga.query;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface CheckoutStepRepository extends JpaRepository<CheckoutStepView, Long> {

    /** A SENT entry, as much of it as the current step needs. */
    record Sent(String checkoutId, String step, Instant at, Long id) {
    }

    /** Read as a projection: the explorer's list and the benchmark's watcher ask for many, often. */
    @Query("select new io.checkout.saga.query.CheckoutStepRepository$Sent(s.checkoutId, s.step, s.at, s.id) "
            + "from CheckoutStepView s where s.checkoutId in ?1 "
            + "and s.outcome = io.checkout.saga.query.StepOutcome.SENT")
    List<Sent> findSent(Collection<String> checkoutIds);

    /**
     * The current step of each of these checkouts: the step whose command its saga sent last. It is read from the
     * timeline rather than kept in {@code checkout_view}, whose rows the saga's own transactions update: a second
     * writer of those rows, batching many of them, deadlocked with the saga under load.
     */
    default Map<String, String> currentSteps(Collection<String> checkoutIds) {
        return checkoutIds.isEmpty() ? Map.of() : lastSent(findSent(checkoutIds));
    }

    /** The step whose command was sent last among these entries of one checkout's timeline, or null. */
    static String currentStep(List<CheckoutStepView> timeline) {
        return lastSent(timeline.stream()
                .filter(entry -> entry.getOutcome() == StepOutcome.SENT)
                .map(entry -> new Sent(entry.getCheckoutId(), entry.getStep(), entry.getAt(), entry.getId()))
                .toList()).values().stream().findFirst().orElse(null);
    }

    /** Per checkout, the step of its last SENT entry: by time, then by the order the entries were written in. */
    private static Map<String, String> lastSent(List<Sent> entries) {
        Comparator<Sent> written = Comparator.comparing(Sent::at).thenComparing(Sent::id);
        Map<String, Sent> last = new HashMap<>();
        for (Sent sent : entries) {
            last.merge(sent.checkoutId(), sent, (a, b) -> written.compare(a, b) >= 0 ? a : b);
        }
        Map<String, String> steps = new HashMap<>();
        last.forEach((checkout, sent) -> steps.put(checkout, sent.step()));
        return steps;
    }
}
