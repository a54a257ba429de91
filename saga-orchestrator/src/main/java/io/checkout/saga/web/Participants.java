package io.checkout.saga.web;

import io.checkout.shared.order.FindOrderQuery;
import io.checkout.shared.order.OrderId;
import io.checkout.shared.order.OrderSummary;
import io.checkout.shared.product.FindProductQuery;
import io.checkout.shared.product.ProductId;
import io.checkout.shared.product.ProductSummary;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;

/** Where the explorer asks the order and product services for their state now. */
interface Participants {

    CompletableFuture<Optional<OrderSummary>> order(OrderId id);

    CompletableFuture<Optional<ProductSummary>> product(ProductId id);

    /**
     * Through Axon's query bus: the services' query handlers, in this JVM (the embedded default) or wherever Axon
     * Server routes the query.
     */
    static Participants viaQueryBus(QueryGateway queries) {
        return new Participants() {
            @Override
            public CompletableFuture<Optional<OrderSummary>> order(OrderId id) {
                return queries.query(new FindOrderQuery(id), ResponseTypes.optionalInstanceOf(OrderSummary.class));
            }

            @Override
            public CompletableFuture<Optional<ProductSummary>> product(ProductId id) {
                return queries.query(new FindProductQuery(id),
                        ResponseTypes.optionalInstanceOf(ProductSummary.class));
            }
        };
    }
}
