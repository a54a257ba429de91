package io.checkout.saga.query;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Query;

public interface CheckoutViewRepository extends JpaRepository<CheckoutView, String>,
        JpaSpecificationExecutor<CheckoutView> {

    Optional<CheckoutView> findByOrderId(String orderId);

    /** A query of ours, whose plan Hibernate keeps: the admission bound counts the running ones ten times a second. */
    @Query("select count(c) from CheckoutView c where c.status = ?1")
    long countByStatus(CheckoutStatus status);

    long countByStatusAndCreatedAtBefore(CheckoutStatus status, Instant before);

    /** When each checkout that ended since {@code since} began and ended, and how. */
    @Query("select new io.checkout.saga.query.EndedCheckout(c.status, c.createdAt, c.endedAt) from CheckoutView c "
            + "where c.endedAt >= ?1")
    List<EndedCheckout> findEndedSince(Instant since);
}
