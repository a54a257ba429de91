package io.checkout.order.query;

import io.checkout.shared.product.ProductCreatedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Copies what the order service needs of each product from the product service's events. With the services in one
 * JVM it commits with the product's command (subscribing); when the order service runs alone in its process, the
 * events come from another process, and it follows the event store (tracking: the order profile says so).
 */
@Component
@ProcessingGroup(CatalogueReplicaProjection.PROCESSING_GROUP)
class CatalogueReplicaProjection {

    static final String PROCESSING_GROUP = "order-catalogue-replica";

    private final CatalogueRows rows;

    CatalogueReplicaProjection(CatalogueRows rows) {
        this.rows = rows;
    }

    @EventHandler
    void on(ProductCreatedEvent event) {
        rows.put(event.productId().value(), event.name(), event.price());
    }
}
