package io.checkout.saga.web;

import io.checkout.saga.query.CheckoutStatus;
import io.checkout.saga.query.StepOutcome;
import io.checkout.shared.order.OrderSummary;
import io.checkout.shared.product.ProductSummary;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the checkout API answers. */
final class CheckoutResponses {

    private CheckoutResponses() {
    }

    record Line(String productId, int quantity) {
    }

    /**
     * One timeline entry. {@code durationMillis} is, for an answer (SUCCEEDED, REJECTED, FAILED), the time since
     * the step's command was last sent; for the final entry, the checkout's whole duration.
     */
    record Step(Instant at, String step, StepOutcome outcome, String productId, Integer attempt, String detail,
                Long durationMillis) {
    }

    record OrderState(String id, String status, BigDecimal total, String reason) {
        static OrderState of(OrderSummary order) {
            return order == null ? null
                    : new OrderState(order.orderId().value(), order.status(), order.total(), order.reason());
        }
    }

    record ProductState(String id, String name, BigDecimal price, int stock, int reserved) {
        static ProductState of(ProductSummary product) {
            return new ProductState(product.productId().value(), product.name(), product.price(), product.stock(),
                    product.reserved());
        }
    }

    /**
     * The order and products as their services report them now. {@code unavailable} names what could not be
     * had: not found, or no answer within {@code checkout.explorer.query-timeout}.
     */
    record Participants(OrderState order, List<ProductState> products, List<String> unavailable) {
    }

    record Checkout(String id, CheckoutStatus status, String orderId, String customerId, List<Line> lines,
                    String currentStep, String failedStep, String reason, BigDecimal total, Instant createdAt,
                    Instant endedAt, long ageMillis, boolean stuck, List<Step> steps, Participants participants) {
    }

    /** @param ageMillis for a running checkout its age, for an ended one its duration */
    record Summary(String id, CheckoutStatus status, String orderId, String customerId, String currentStep,
                   String failedStep, String reason, Instant createdAt, Instant endedAt, long ageMillis,
                   boolean stuck) {
    }

    record Page(List<Summary> items, int page, int size, long totalItems, int totalPages) {
    }

    /** Checkouts that ended in one bucket of time, with the latency (request to saga end) of those that did. */
    record Bucket(Instant start, int completed, int failed, Long p50Millis, Long p95Millis) {
    }

    record Stats(Map<CheckoutStatus, Long> counts, long stuck, long stuckAfterMillis, long bucketMillis,
                 List<Bucket> buckets) {
    }
}
