package io.checkout.saga.query;

import static io.checkout.support.jdbc.SqlValues.decimal;
import static io.checkout.support.jdbc.SqlValues.instant;
import static io.checkout.support.jdbc.SqlValues.integer;
import static io.checkout.support.jdbc.SqlValues.text;
import static io.checkout.support.jdbc.SqlValues.timestamp;

import io.checkout.support.jdbc.SqlBatch;
import io.checkout.support.jdbc.SqlValues;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The checkout read model's writes, and its reads of one checkout, as plain statements. The projections write each
 * row once or change a few of its columns by id, in the transaction under way, which needs none of what an entity
 * manager does (load the row, check it for changes at the commit, flush it): that was a tenth of the CPU a checkout.
 * Every answer with a checkout (the start's 202 too) reads it and its timeline, in two statements; the timeline's
 * first and last entries are made from the checkout's row ({@link #timelineOf}). The tables are the
 * entities' ({@link CheckoutView}, {@link CheckoutStepView}), which the explorer's lists and counts read through JPA.
 */
@Component
public class CheckoutRows {

    /** The step name of the entries about the checkout as a whole. */
    static final String CHECKOUT = "CHECKOUT";
    /** The checkout's own entries that {@link #timelineOf} makes from its columns, not from rows. */
    private static final Set<StepOutcome> MADE_FROM_THE_CHECKOUT =
            EnumSet.of(StepOutcome.STARTED, StepOutcome.COMPLETED, StepOutcome.COMPENSATED);

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

    /** The checkout with its lines, if there is one. */
    public Optional<CheckoutView> find(String id) {
        List<CheckoutView> found = new ArrayList<>(1);
        List<CheckoutLineView> lines = new ArrayList<>();
        jdbc.sql("select c.order_id, c.customer_id, c.status, c.failed_step, c.reason, c.total, c.created_at, "
                        + "c.ended_at, l.product_id, l.quantity from checkout_view c "
                        + "left join checkout_view_line l on l.checkout_id = c.id where c.id = ? order by l.line_index")
                .param(id)
                .query(rs -> {
                    if (found.isEmpty()) {
                        found.add(new CheckoutView(id, rs.getString(1), rs.getString(2),
                                CheckoutStatus.valueOf(rs.getString(3)), rs.getString(4), rs.getString(5),
                                rs.getBigDecimal(6), lines, instant(rs.getObject(7, OffsetDateTime.class)),
                                instant(rs.getObject(8, OffsetDateTime.class))));
                    }
                    String product = rs.getString(9);
                    if (product != null) {
                        lines.add(new CheckoutLineView(product, rs.getInt(10)));
                    }
                });
        return found.stream().findFirst();
    }

    public boolean exists(String id) {
        return jdbc.sql("select count(*) from checkout_view where id = ?").param(id).query(Integer.class).single() > 0;
    }

    /**
     * The checkout's timeline, by time, then in the order its entries were written: the entries its rows hold, with
     * its start and its end made from the checkout's own columns (lines, creation, end, outcome, total, reason), where
     * they are kept already. The projection does not write those two as rows (two of a checkout's nine; each row is
     * two B-tree entries, docs/design.md #43). A database made before holds them as rows too: those rows are left out.
     */
    public List<CheckoutStepView> timelineOf(CheckoutView checkout) {
        String id = checkout.getId();
        List<CheckoutStepView> timeline = new ArrayList<>();
        timeline.add(new CheckoutStepView(Long.MIN_VALUE, id, checkout.getCreatedAt(), CHECKOUT, StepOutcome.STARTED,
                null, null, started(checkout.getLines())));
        jdbc.sql("select id, at, step, outcome, product_id, attempt, detail from checkout_step "
                        + "where checkout_id = ? order by at, id")
                .param(id)
                .query((rs, i) -> new CheckoutStepView(rs.getLong(1), id,
                        instant(rs.getObject(2, OffsetDateTime.class)), rs.getString(3),
                        StepOutcome.valueOf(rs.getString(4)), rs.getString(5), rs.getObject(6, Integer.class),
                        rs.getString(7)))
                .list()
                .stream()
                .filter(entry -> !CHECKOUT.equals(entry.getStep())
                        || !MADE_FROM_THE_CHECKOUT.contains(entry.getOutcome()))
                .forEach(timeline::add);
        if (checkout.getEndedAt() != null) {
            boolean completed = checkout.getStatus() == CheckoutStatus.COMPLETED;
            timeline.add(new CheckoutStepView(Long.MAX_VALUE, id, checkout.getEndedAt(), CHECKOUT,
                    completed ? StepOutcome.COMPLETED : StepOutcome.COMPENSATED, null, null, completed
                            ? "order " + checkout.getOrderId() + " approved, total " + checkout.getTotal()
                            : "order " + checkout.getOrderId() + " cancelled, no stock held: " + checkout.getReason()));
        }
        return timeline;
    }

    /** The start's entry: "2 lines: kettle x 1, mug x 3". */
    private static String started(List<CheckoutLineView> lines) {
        return lines.size() + (lines.size() == 1 ? " line: " : " lines: ") + lines.stream()
                .map(l -> l.getProductId() + " x " + l.getQuantity())
                .collect(Collectors.joining(", "));
    }

    /** When the checkout began, if there is such a checkout. */
    Optional<Instant> createdAt(String id) {
        return jdbc.sql("select created_at from checkout_view where id = ?")
                .param(id)
                .query(OffsetDateTime.class)
                .optional()
                .map(SqlValues::instant);
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
