package io.checkout.saga.query;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ConstraintMode;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.FetchType;
import jakarta.persistence.ForeignKey;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import org.hibernate.annotations.BatchSize;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One checkout and where it stands, as the HTTP API reads it; its timeline is kept as {@link CheckoutStepView} rows.
 * The projections write its rows with statements of their own ({@link CheckoutRows}). The listing's order (newest
 * first, then by id) is the order of the status and creation indexes, so a page is read from the index rather than
 * sorted from every row that matches (a database made before keeps its indexes on the creation time alone, which give
 * the same answers).
 */
@Entity
@Table(name = "checkout_view", indexes = {
        @Index(name = "checkout_view_order_idx", columnList = "orderId", unique = true),
        @Index(name = "checkout_view_status_idx", columnList = "status, createdAt, id"),
        @Index(name = "checkout_view_created_idx", columnList = "createdAt, id"),
        @Index(name = "checkout_view_ended_idx", columnList = "endedAt")})
public class CheckoutView {

    @Id
    private String id;
    @Column(nullable = false)
    private String orderId;
    @Column(nullable = false)
    private String customerId;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16, columnDefinition = "varchar(16)") // not an H2 ENUM: see docs/design.md
    private CheckoutStatus status;
    @Column(length = 32)
    private String failedStep;
    @Column(length = 1000)
    private String reason;
    @Column(precision = 19, scale = 2)
    private BigDecimal total;
    // A page of views loads the lines of up to 64 of them in one query, not a query for each view.
    @BatchSize(size = 64)
    @ElementCollection(fetch = FetchType.EAGER)
    // No foreign key: H2 gives a foreign key an index of its own even when the primary key (checkout_id, line_index)
    // begins with its column, so every line was written into two indexes. Only the view writes its lines.
    @CollectionTable(name = "checkout_view_line", joinColumns = @JoinColumn(name = "checkout_id"),
            foreignKey = @ForeignKey(ConstraintMode.NO_CONSTRAINT))
    @OrderColumn(name = "line_index")
    private List<CheckoutLineView> lines = new ArrayList<>();
    private Instant createdAt;
    private Instant endedAt;

    protected CheckoutView() {
        // for JPA
    }

    /** A checkout as read by a statement ({@link CheckoutRows#find}), outside any persistence context. */
    CheckoutView(String id, String orderId, String customerId, CheckoutStatus status, String failedStep, String reason,
                 BigDecimal total, List<CheckoutLineView> lines, Instant createdAt, Instant endedAt) {
        this.id = id;
        this.orderId = orderId;
        this.customerId = customerId;
        this.status = status;
        this.failedStep = failedStep;
        this.reason = reason;
        this.total = total;
        this.lines = lines;
        this.createdAt = createdAt;
        this.endedAt = endedAt;
    }

    public String getId() {
        return id;
    }

    public String getOrderId() {
        return orderId;
    }

    public String getCustomerId() {
        return customerId;
    }

    public CheckoutStatus getStatus() {
        return status;
    }

    public String getFailedStep() {
        return failedStep;
    }

    public String getReason() {
        return reason;
    }

    public BigDecimal getTotal() {
        return total;
    }

    public List<CheckoutLineView> getLines() {
        return List.copyOf(lines);
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getEndedAt() {
        return endedAt;
    }
}
