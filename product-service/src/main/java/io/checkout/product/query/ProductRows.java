package io.checkout.product.query;

import static io.checkout.support.jdbc.SqlValues.timestamp;

import java.math.BigDecimal;
import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The catalogue's writes, as plain statements in the transaction of the product's command: a product's counts
 * change by a quantity, in one update by id, and a claim is one row updated or inserted; none of it needs an entity
 * manager's load, dirty check and flush. The tables are {@link ProductView}'s and {@link ReservationView}'s, which
 * the HTTP API reads through JPA.
 */
@Component
class ProductRows {

    private final JdbcTemplate jdbc;

    ProductRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insert(String id, String name, BigDecimal price, int stock) {
        jdbc.update("insert into product_view (id, name, price, stock, reserved, initial_stock, restocked) "
                + "values (?, ?, ?, ?, 0, ?, 0)", id, name, price, stock, stock);
    }

    void reserve(String id, int quantity) {
        jdbc.update("update product_view set stock = stock - ?, reserved = reserved + ? where id = ?",
                quantity, quantity, id);
    }

    void release(String id, int quantity) {
        if (quantity == 0) {
            return; // nothing was held
        }
        jdbc.update("update product_view set stock = stock + ?, reserved = reserved - ? where id = ?",
                quantity, quantity, id);
    }

    void restock(String id, int quantity) {
        jdbc.update("update product_view set stock = stock + ?, restocked = restocked + ? where id = ?",
                quantity, quantity, id);
    }

    /**
     * Records the order's claim on the product, over the one recorded before or the first time. The product's
     * commands run one at a time, so no other transaction inserts the same claim in between.
     */
    void claim(String productId, String orderId, ReservationView.State state, int quantity, Instant at) {
        int updated = jdbc.update("update product_reservation set state = ?, quantity = ?, updated_at = ? "
                + "where product_id = ? and order_id = ?", state.name(), quantity, timestamp(at), productId, orderId);
        if (updated == 0) {
            jdbc.update("insert into product_reservation (product_id, order_id, state, quantity, updated_at) "
                    + "values (?, ?, ?, ?, ?)", productId, orderId, state.name(), quantity, timestamp(at));
        }
    }
}
