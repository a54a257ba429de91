package io.checkout.order.query;

import io.checkout.order.OrderStatus;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

public interface OrderViewRepository extends JpaRepository<OrderView, String> {

    Page<OrderView> findByStatus(OrderStatus status, Pageable pageable);
}
