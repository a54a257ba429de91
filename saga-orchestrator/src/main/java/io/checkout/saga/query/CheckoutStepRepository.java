package io.checkout.saga.query;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.data.jpa.repository.JpaRepository;

public interface CheckoutStepRepository extends JpaRepository<CheckoutStepView, Long> {

    /** Later entries last: by time, then by the order they were written in. */
    Comparator<CheckoutStepView> WRITTEN = Comparator.comparing(CheckoutStepView::getAt)
            .thenComparing(CheckoutStepView::getId);

    List<CheckoutStepView> findByCheckoutIdOrderByAtAscIdAsc(String checkoutId);

    List<CheckoutStepView> findByCheckoutIdInAndOutcome(Collection<String> checkoutIds, StepOutcome outcome);

    /**
     * The current step of each of these checkouts: the step whose command its saga sent last. It is read from the
     * timeline rather than kept in {@code checkout_view}, whose rows the saga's own transactions update: a second
     * writer of those rows, batching many of them, deadlocked with the saga under load.
     */
    default Map<String, String> currentSteps(Collection<String> checkoutIds) {
        if (checkoutIds.isEmpty()) {
            return Map.of();
        }
        Map<String, CheckoutStepView> last = new HashMap<>();
        for (CheckoutStepView sent : findByCheckoutIdInAndOutcome(checkoutIds, StepOutcome.SENT)) {
            last.merge(sent.getCheckoutId(), sent, (a, b) -> WRITTEN.compare(a, b) >= 0 ? a : b);
        }
        Map<String, String> steps = new HashMap<>();
        last.forEach((checkout, sent) -> steps.put(checkout, sent.getStep()));
        return steps;
    }

    /** The step whose command was sent last among these entries of one checkout's timeline, or null. */
    static String currentStep(List<CheckoutStepView> timeline) {
        return timeline.stream()
                .filter(entry -> entry.getOutcome() == StepOutcome.SENT)
                .max(WRITTEN)
                .map(CheckoutStepView::getStep)
                .orElse(null);
    }
}
