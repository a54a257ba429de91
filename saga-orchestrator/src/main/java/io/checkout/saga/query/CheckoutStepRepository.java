package io.checkout.saga.query;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface CheckoutStepRepository extends JpaRepository<CheckoutStepView, Long> {

    List<CheckoutStepView> findByCheckoutIdOrderByAtAscIdAsc(String checkoutId);
}
