package io.checkout.saga.query;

import static io.checkout.support.jdbc.SqlValues.decimal;
import static io.checkout.support.jdbc.SqlValues.integer;
import static io.checkout.support.jdbc.SqlValues.text;
import static io.checkout.support.jdbc.SqlValues.timestamp;

import io.checkout.support.jdbc.SqlBatch;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The checkout read model's writes, as plain statements in the transaction under way: the projections write each
 * row once or change a few of its columns by id, which needs none of what an entity manager does (load the row,
 * check it for changes at the commit, flush it), and that was a tenth of the CPU a checkout. The tables are the
 * entities' ({@link CheckoutView}, {@link CheckoutStepView}), which the HTTP API still reads through JPA, each read in
 * a transaction of its own.
 */
@Component
class CheckoutRows {

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;

    CheckoutRows(JdbcClient jdbc, JdbcTemplate batches) {
        this.jdbc = jdbc;
        this.batches = batches;
    }

    /** An entry of a checkout's timeline, as {@link CheckoutStepView} holds it. */
    record Step(String checkoutId, Instant at, String step, StepOutcome outcome, String productId, Integer attempt,
                String detail) {
    }

    void insertCheckout(String id, String orderId, String customerId, List<CheckoutLineView> lines, Instant at) {
        jdbc.sql("insert into checkout_view (id, order_id, customer_id, status, created_at) values (?, ?, ?, ?, ?)")
                .params(id, orderId, customerId, CheckoutStatus.RUNNING.name(), timestamp(at))
                .update();
        List<Object[]> rows = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            rows.add(new Object[] {id, i, lines.get(i).getProductId(), lines.get(i).getQuantity()});
        }
        SqlBatch.run(batches,
                "insert into checkout_view_line (checkout_id, line_index, product_id, quantity) values (?, ?, ?, ?)", rows);
    }

    void compensating(String id, String failedStep, String reason) {
        jdbc.sql("update checkout_view set failed_step = ?, reason = ? where id = ?")
                .params(failedStep, text(reason), id)
                .update();
    }

    void completed(String id, BigDecimal total, Instant at) {
        jdbc.sql("update checkout_view set status = ?, total = ?, ended_at = ? where id = ?")
                .params(CheckoutStatus.COMPLETED.name(), decimal(total), timestamp(at), id)
                .update();
    }

    void failed(String id, String failedStep, String reason, Instant at) {
        jdbc.sql("update checkout_view set status = ?, failed_step = ?, reason = ?, ended_at = ? where id = ?")
                .params(CheckoutStatus.FAILED.name(), failedStep, text(reason), timestamp(at), id)
                .update();
    }

    /** When the checkout began, if there is such a checkout. */
    Optional<Instant> createdAt(String id) {
        return jdbc.sql("select created_at from checkout_view where id = ?")
                .param(id)
                .query(OffsetDateTime.class)
                .optional()
                .map(OffsetDateTime::toInstant);
    }

    /** The checkout whose order this is, if there is one. */
    Optional<String> checkoutOf(String orderId) {
        return jdbc.sql("select id from checkout_view where order_id = ?").param(orderId).query(String.class).optional();
    }

    void addStep(Step step) {
        addSteps(List.of(step));
    }

    void addSteps(List<Step> steps) {
        List<Object[]> rows = new ArrayList<>(steps.size());
        for (Step s : steps) {
            rows.add(new Object[] {s.checkoutId(), timestamp(s.at()), s.step(), s.outcome().name(), text(s.productId()),
                    integer(s.attempt()), text(s.detail())});
        }
        SqlBatch.run(batches, "insert into checkout_step (checkout_id, at, step, outcome, product_id, attempt, detail) "
                + "values (?, ?, ?, ?, ?, ?, ?)", rows);
    }
}
