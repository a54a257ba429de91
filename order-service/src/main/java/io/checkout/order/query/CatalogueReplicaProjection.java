package io.checkout.order.query;

import io.checkout.shared.product.ProductCreatedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Copies what the order service needs of each product from the product service's events: a tracking processor,
 * because those events come from another service (another process, when the services are split).
 */
@Component
@ProcessingGroup(CatalogueReplicaProjection.PROCESSING_GROUP)
class CatalogueReplicaProjection {

    static final String PROCESSING_GROUP = "order-catalogue-replica";

    private final CatalogueReplicaRepository replica;

    CatalogueReplicaProjection(CatalogueReplicaRepository replica) {
        this.replica = replica;
    }

    @EventHandler
    void on(ProductCreatedEvent event) {
        replica.save(new CatalogueEntry(event.productId().value(), event.name(), event.price()));
    }
}
