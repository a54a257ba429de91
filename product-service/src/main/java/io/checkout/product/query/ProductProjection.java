package io.checkout.product.query;

import io.checkout.shared.product.ProductCreatedEvent;
import io.checkout.shared.product.ProductRestockedEvent;
import io.checkout.shared.product.StockReleasedEvent;
import io.checkout.shared.product.StockReservationRejectedEvent;
import io.checkout.shared.product.StockReservedEvent;
import org.axonframework.config.ProcessingGroup;
import java.time.Instant;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

/**
 * Keeps the catalogue. Its processing group is subscribing (see application.yml): it runs in the transaction of
 * the command that changed the product, so the catalogue never lags behind the stock it reports.
 */
@Component
@ProcessingGroup(ProductProjection.PROCESSING_GROUP)
class ProductProjection {

    static final String PROCESSING_GROUP = "product-catalogue";

    private final ProductViewRepository products;
    private final ReservationViewRepository reservations;

    ProductProjection(ProductViewRepository products, ReservationViewRepository reservations) {
        this.products = products;
        this.reservations = reservations;
    }

    @EventHandler
    void on(ProductCreatedEvent event) {
        products.save(new ProductView(event.productId().value(), event.name(), event.price(), event.stock()));
    }

    @EventHandler
    void on(ProductRestockedEvent event) {
        products.findById(event.productId().value()).ifPresent(p -> p.restock(event.quantity()));
    }

    @EventHandler
    void on(StockReservedEvent event, @Timestamp Instant at) {
        products.findById(event.productId().value()).ifPresent(p -> p.reserve(event.quantity()));
        reservations.record(event.productId().value(), event.orderId().value(), ReservationView.State.RESERVED,
                event.quantity(), at);
    }

    @EventHandler
    void on(StockReleasedEvent event, @Timestamp Instant at) {
        products.findById(event.productId().value()).ifPresent(p -> p.release(event.quantity()));
        reservations.record(event.productId().value(), event.orderId().value(), ReservationView.State.RELEASED, 0,
                at);
    }

    @EventHandler
    void on(StockReservationRejectedEvent event, @Timestamp Instant at) {
        reservations.record(event.productId().value(), event.orderId().value(), ReservationView.State.REJECTED, 0,
                at);
    }
}
