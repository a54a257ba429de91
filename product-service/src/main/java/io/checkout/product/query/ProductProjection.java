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

    private final ProductRows rows;

    ProductProjection(ProductRows rows) {
        this.rows = rows;
    }

    @EventHandler
    void on(ProductCreatedEvent event) {
        rows.insert(event.productId().value(), event.name(), event.price(), event.stock());
    }

    @EventHandler
    void on(ProductRestockedEvent event) {
        rows.restock(event.productId().value(), event.quantity());
    }

    @EventHandler
    void on(StockReservedEvent event, @Timestamp Instant at) {
        rows.reserve(event.productId().value(), event.quantity());
        rows.claim(event.productId().value(), event.orderId().value(), ReservationView.State.RESERVED,
                event.quantity(), at);
    }

    @EventHandler
    void on(StockReleasedEvent event, @Timestamp Instant at) {
        rows.release(event.productId().value(), event.quantity());
        rows.claim(event.productId().value(), event.orderId().value(), ReservationView.State.RELEASED, 0, at);
    }

    @EventHandler
    void on(StockReservationRejectedEvent event, @Timestamp Instant at) {
        rows.claim(event.productId().value(), event.orderId().value(), ReservationView.State.REJECTED, 0, at);
    }
}
