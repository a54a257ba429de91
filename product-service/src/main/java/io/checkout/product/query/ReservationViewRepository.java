package io.checkout.product.query;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface ReservationViewRepository extends JpaRepository<ReservationView, ReservationView.Key> {

    List<ReservationView> findByProductIdOrderByUpdatedAtAsc(String productId);

    /** Records the order's claim on the product, the first time or over the one recorded before. */
    default void record(String productId, String orderId, ReservationView.State state, int quantity,
                        java.time.Instant at) {
        ReservationView claim = findById(new ReservationView.Key(productId, orderId))
                .orElseGet(() -> new ReservationView(productId, orderId));
        claim.set(state, quantity, at);
        save(claim);
    }
}
