package io.checkout.product.query;

import io.checkout.shared.product.FindProductQuery;
import io.checkout.shared.product.ProductSummary;
import java.util.Optional;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/** Answers other services' questions about products, from the catalogue. */
@Component
class ProductQueries {

    private final ProductViewRepository products;

    ProductQueries(ProductViewRepository products) {
        this.products = products;
    }

    /** @return the product, or empty if there is none with that id */
    @QueryHandler
    Optional<ProductSummary> handle(FindProductQuery query) {
        return products.findById(query.productId().value())
                .map(p -> new ProductSummary(query.productId(), p.getName(), p.getPrice(), p.getStock(),
                        p.getReserved()));
    }
}
