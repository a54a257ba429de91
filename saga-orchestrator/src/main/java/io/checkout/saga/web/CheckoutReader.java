package io.checkout.saga.web;

import static io.checkout.saga.query.CheckoutSpecifications.createdSince;
import static io.checkout.saga.query.CheckoutSpecifications.hasStatus;
import static io.checkout.saga.query.CheckoutSpecifications.stuck;

import io.checkout.saga.query.CheckoutLineView;
import io.checkout.saga.query.CheckoutStatus;
import io.checkout.saga.query.CheckoutRows;
import io.checkout.saga.query.CheckoutStepRepository;
import io.checkout.saga.query.CheckoutStepView;
import io.checkout.saga.query.CheckoutView;
import io.checkout.saga.query.CheckoutViewRepository;
import io.checkout.saga.query.EndedCheckout;
import io.checkout.saga.query.StepOutcome;
import io.checkout.shared.order.OrderId;
import io.checkout.shared.order.OrderSummary;
import io.checkout.shared.product.ProductId;
import io.checkout.shared.product.ProductSummary;
import io.checkout.support.web.NotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Component;

/** The read side of the checkout API: lists, one checkout with its timeline and participants, and statistics. */
@Component
class CheckoutReader {

    private final CheckoutViewRepository checkouts;
    private final CheckoutStepRepository steps;
    private final CheckoutRows rows;
    private final Participants participants;
    private final ExplorerProperties settings;
    private final Clock clock;

    CheckoutReader(CheckoutViewRepository checkouts, CheckoutStepRepository steps, CheckoutRows rows,
                   Participants participants, ExplorerProperties settings, Clock clock) {
        this.checkouts = checkouts;
        this.steps = steps;
        this.rows = rows;
        this.participants = participants;
        this.settings = settings;
        this.clock = clock;
    }

    boolean exists(String id) {
        return rows.exists(id);
    }

    /** One checkout, read with a statement (as is its timeline): every answer with a checkout reads one. */
    CheckoutView view(String id) {
        return rows.find(id).orElseThrow(() -> new NotFoundException("checkout", id));
    }

    CheckoutResponses.Page list(CheckoutStatus status, Instant since, boolean onlyStuck, int page, int size) {
        Instant now = clock.instant();
        Specification<CheckoutView> filter = Specification.allOf(hasStatus(status), createdSince(since),
                stuck(onlyStuck ? now.minus(settings.stuckAfter()) : null));
        var found = checkouts.findAll(filter,
                PageRequest.of(page, size, Sort.by(Sort.Direction.DESC, "createdAt", "id")));
        Map<String, String> currentSteps = steps.currentSteps(found.stream()
                .filter(c -> c.getStatus() == CheckoutStatus.RUNNING).map(CheckoutView::getId).toList());
        return new CheckoutResponses.Page(found.map(c -> summary(c, currentSteps.get(c.getId()), now)).getContent(),
                page, size, found.getTotalElements(), found.getTotalPages());
    }

    /** The checkout, its timeline, and (if {@code withParticipants}) its order and products as they are now. */
    CheckoutResponses.Checkout detail(String id, boolean withParticipants) {
        CheckoutView view = view(id);
        Instant now = clock.instant();
        List<CheckoutLineView> lines = view.getLines();
        List<CheckoutStepView> stored = rows.timelineOf(view);
        return new CheckoutResponses.Checkout(view.getId(), view.getStatus(), view.getOrderId(), view.getCustomerId(),
                lines.stream().map(l -> new CheckoutResponses.Line(l.getProductId(), l.getQuantity())).toList(),
                view.getStatus() == CheckoutStatus.RUNNING ? CheckoutStepRepository.currentStep(stored) : null,
                view.getFailedStep(), view.getReason(), view.getTotal(), view.getCreatedAt(),
                view.getEndedAt(), age(view, now), isStuck(view, now), timeline(stored, view),
                withParticipants ? participantsNow(view) : null);
    }

    CheckoutResponses.Stats stats(Duration window, Duration bucket) {
        Instant now = clock.instant();
        Map<CheckoutStatus, Long> counts = new EnumMap<>(CheckoutStatus.class);
        for (CheckoutStatus status : CheckoutStatus.values()) {
            counts.put(status, checkouts.countByStatus(status));
        }
        long stuckCount = checkouts.countByStatusAndCreatedAtBefore(CheckoutStatus.RUNNING,
                now.minus(settings.stuckAfter()));
        long bucketMillis = bucket.toMillis();
        long end = now.toEpochMilli() / bucketMillis * bucketMillis + bucketMillis;
        int count = (int) Math.max(1, window.toMillis() / bucketMillis);
        long start = end - count * bucketMillis;
        List<List<EndedCheckout>> byBucket = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byBucket.add(new ArrayList<>());
        }
        for (EndedCheckout ended : checkouts.findEndedSince(Instant.ofEpochMilli(start))) {
            int index = (int) ((ended.endedAt().toEpochMilli() - start) / bucketMillis);
            if (index >= 0 && index < count) {
                byBucket.get(index).add(ended);
            }
        }
        List<CheckoutResponses.Bucket> buckets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<EndedCheckout> in = byBucket.get(i);
            long[] millis = in.stream().mapToLong(e -> e.duration().toMillis()).sorted().toArray();
            buckets.add(new CheckoutResponses.Bucket(Instant.ofEpochMilli(start + i * bucketMillis),
                    (int) in.stream().filter(e -> e.status() == CheckoutStatus.COMPLETED).count(),
                    (int) in.stream().filter(e -> e.status() == CheckoutStatus.FAILED).count(),
                    percentile(millis, 0.50), percentile(millis, 0.95)));
        }
        return new CheckoutResponses.Stats(counts, stuckCount, settings.stuckAfter().toMillis(), bucketMillis, buckets);
    }

    boolean isStuck(CheckoutView view, Instant now) {
        return view.getStatus() == CheckoutStatus.RUNNING
                && view.getCreatedAt().isBefore(now.minus(settings.stuckAfter()));
    }

    private CheckoutResponses.Summary summary(CheckoutView c, String currentStep, Instant now) {
        return new CheckoutResponses.Summary(c.getId(), c.getStatus(), c.getOrderId(), c.getCustomerId(),
                currentStep, c.getFailedStep(), c.getReason(), c.getCreatedAt(), c.getEndedAt(), age(c, now),
                isStuck(c, now));
    }

    private static long age(CheckoutView c, Instant now) {
        return Duration.between(c.getCreatedAt(), c.getEndedAt() != null ? c.getEndedAt() : now).toMillis();
    }

    /** The timeline, each answer with the time since its command was last sent. */
    private static List<CheckoutResponses.Step> timeline(List<CheckoutStepView> stored, CheckoutView view) {
        // Times come with milliseconds (the participants' events) or finer (the rest). Within one millisecond the
        // order is causal: a command is sent, then answered, then the checkout decides.
        List<CheckoutStepView> entries = stored.stream()
                .sorted(Comparator.comparing((CheckoutStepView e) -> e.getAt().truncatedTo(ChronoUnit.MILLIS))
                        .thenComparing(e -> causalRank(e.getOutcome()))
                        .thenComparing(CheckoutStepView::getId))
                .toList();
        Map<String, Instant> lastSent = new HashMap<>();
        List<CheckoutResponses.Step> timeline = new ArrayList<>();
        for (CheckoutStepView e : entries) {
            String key = e.getStep() + "/" + e.getProductId();
            Long duration = null;
            switch (e.getOutcome()) {
                case SENT, RETRIED -> lastSent.put(key, e.getAt());
                case SUCCEEDED, REJECTED, FAILED -> {
                    Instant sent = lastSent.get(key);
                    duration = sent == null ? null : Duration.between(sent, e.getAt()).toMillis();
                }
                case COMPLETED, COMPENSATED -> duration = Duration.between(view.getCreatedAt(), e.getAt()).toMillis();
                default -> {
                }
            }
            timeline.add(new CheckoutResponses.Step(e.getAt(), e.getStep(), e.getOutcome(), e.getProductId(),
                    e.getAttempt(), e.getDetail(), duration));
        }
        return timeline;
    }

    private static int causalRank(StepOutcome outcome) {
        return switch (outcome) {
            case STARTED -> 0;
            case SENT, RETRIED -> 1;
            case SUCCEEDED, REJECTED, FAILED, OPERATOR -> 2;
            case COMPENSATING, COMPLETED, COMPENSATED -> 3;
        };
    }

    /** Asks the order and product services, all at once, each answer waited for a bounded time. */
    private CheckoutResponses.Participants participantsNow(CheckoutView view) {
        List<String> unavailable = new ArrayList<>();
        CompletableFuture<Optional<OrderSummary>> order = participants.order(new OrderId(view.getOrderId()));
        List<CompletableFuture<Optional<ProductSummary>>> products = view.getLines().stream()
                .map(l -> participants.product(new ProductId(l.getProductId())))
                .toList();
        OrderSummary orderNow = await(order, "order " + view.getOrderId(), unavailable);
        List<CheckoutResponses.ProductState> productsNow = new ArrayList<>();
        for (int i = 0; i < products.size(); i++) {
            ProductSummary product = await(products.get(i), "product " + view.getLines().get(i).getProductId(),
                    unavailable);
            if (product != null) {
                productsNow.add(CheckoutResponses.ProductState.of(product));
            }
        }
        return new CheckoutResponses.Participants(CheckoutResponses.OrderState.of(orderNow), productsNow,
                unavailable);
    }

    private <T> T await(CompletableFuture<Optional<T>> answer, String what, List<String> unavailable) {
        try {
            Optional<T> found = answer.get(settings.queryTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (found.isEmpty()) {
                unavailable.add(what + ": not found");
            }
            return found.orElse(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable.add(what + ": interrupted");
        } catch (Exception e) {
            unavailable.add(what + ": no answer (" + e.getClass().getSimpleName() + ")");
        }
        return null;
    }

    private static Long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return null;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
