package io.checkout.order.query;

import java.math.BigDecimal;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The catalogue replica's writes, as statements in the transaction under way (see {@link OrderRows}); the table is
 * {@link CatalogueEntry}'s, which the order service reads through JPA.
 */
@Component
class CatalogueRows {

    private final JdbcTemplate jdbc;

    CatalogueRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The product as its event describes it, over what was copied before: a tracking replica (the order service in a
     * process of its own) may see an event again after its token was reset.
     */
    void put(String productId, String name, BigDecimal unitPrice) {
        int updated = jdbc.update("update order_catalogue_replica set name = ?, unit_price = ? where product_id = ?",
                name, unitPrice, productId);
        if (updated == 0) {
            jdbc.update("insert into order_catalogue_replica (product_id, name, unit_price) values (?, ?, ?)",
                    productId, name, unitPrice);
        }
    }
}
