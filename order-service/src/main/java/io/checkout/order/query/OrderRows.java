package io.checkout.order.query;

import static io.checkout.support.jdbc.SqlValues.decimal;
import static io.checkout.support.jdbc.SqlValues.text;
import static io.checkout.support.jdbc.SqlValues.timestamp;

import io.checkout.order.OrderStatus;
import io.checkout.support.jdbc.SqlBatch;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The order read model's writes, as plain statements in the transaction of the order's command: a row written once
 * and then changed by id needs nothing of an entity manager's (load, dirty check, flush). The tables are
 * {@link OrderView}'s, which the HTTP API reads through JPA.
 */
@Component
class OrderRows {

    private final JdbcTemplate jdbc;

    OrderRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One line of an order: the product, the quantity and, once approved, the unit price. */
    record Line(String productId, int quantity, BigDecimal unitPrice) {
    }

    void insert(String id, String customerId, OrderStatus status, String reason, List<Line> lines, Instant at) {
        jdbc.update("insert into order_view (id, customer_id, status, reason, created_at, updated_at) "
                + "values (?, ?, ?, ?, ?, ?)", id, text(customerId), status.name(), text(reason), timestamp(at),
                timestamp(at));
        insertLines(id, lines);
    }

    /**
     * The order is approved and its lines priced, each over the row of the same index: an update, not the delete
     * and insert of every line a replaced list would be. The order approves a price for each of its lines, no more
     * (the aggregate refuses anything else), so the rows are the same in number.
     */
    void approve(String id, List<Line> pricedLines, BigDecimal total, Instant at) {
        jdbc.update("update order_view set status = ?, total = ?, updated_at = ? where id = ?",
                OrderStatus.APPROVED.name(), decimal(total), timestamp(at), id);
        List<Object[]> rows = new ArrayList<>(pricedLines.size());
        for (int i = 0; i < pricedLines.size(); i++) {
            Line line = pricedLines.get(i);
            rows.add(new Object[] {line.productId(), line.quantity(), decimal(line.unitPrice()), id, i});
        }
        SqlBatch.run(jdbc, "update order_view_line set product_id = ?, quantity = ?, unit_price = ? "
                + "where order_id = ? and line_index = ?", rows);
    }

    /** Cancels the order; an order cancelled before it was created is made, without lines, so it can be found. */
    void cancel(String id, String reason, Instant at) {
        int updated = jdbc.update("update order_view set status = ?, reason = ?, updated_at = ? where id = ?",
                OrderStatus.CANCELLED.name(), text(reason), timestamp(at), id);
        if (updated == 0) {
            insert(id, null, OrderStatus.CANCELLED, reason, List.of(), at);
        }
    }

    private void insertLines(String id, List<Line> lines) {
        List<Object[]> rows = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            rows.add(new Object[] {id, i, line.productId(), line.quantity(), decimal(line.unitPrice())});
        }
        SqlBatch.run(jdbc, "insert into order_view_line (order_id, line_index, product_id, quantity, unit_price) "
                + "values (?, ?, ?, ?, ?)", rows);
    }
}
