package io.checkout.saga.query;

import java.time.Instant;
import org.springframework.data.jpa.domain.Specification;

/** The list filters of {@code GET /checkouts}, each one optional. */
public final class CheckoutSpecifications {

    private CheckoutSpecifications() {
    }

    public static Specification<CheckoutView> hasStatus(CheckoutStatus status) {
        return (root, query, cb) -> status == null ? null : cb.equal(root.get("status"), status);
    }

    public static Specification<CheckoutView> createdSince(Instant since) {
        return (root, query, cb) -> since == null ? null : cb.greaterThanOrEqualTo(root.get("createdAt"), since);
    }

    /** Running and started before {@code startedBefore}: running longer than the stuck threshold. */
    public static Specification<CheckoutView> stuck(Instant startedBefore) {
        return (root, query, cb) -> startedBefore == null ? null : cb.and(
                cb.equal(root.get("status"), CheckoutStatus.RUNNING),
                cb.lessThan(root.get("createdAt"), startedBefore));
    }
}
