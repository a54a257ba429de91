package io.checkout.product.query;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface ReservationViewRepository extends JpaRepository<ReservationView, ReservationView.Key> {

    List<ReservationView> findByProductIdOrderByUpdatedAtAsc(String productId);
}
