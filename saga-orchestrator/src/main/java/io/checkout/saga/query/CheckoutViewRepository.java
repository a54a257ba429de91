package io.checkout.saga.query;

import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

public interface CheckoutViewRepository extends JpaRepository<CheckoutView, String> {

    Optional<CheckoutView> findByOrderId(String orderId);

    Page<CheckoutView> findByStatus(CheckoutStatus status, Pageable pageable);

    long countByStatus(CheckoutStatus status);
}
