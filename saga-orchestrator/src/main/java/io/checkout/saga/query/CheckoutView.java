package io.checkout.saga.query;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.math.BigDecimal;
import java.time.Instant;

/** One checkout and where it stands; its timeline is kept as {@link CheckoutStepView} rows. */
@Entity
@Table(name = "checkout_view", indexes = {
        @Index(name = "checkout_view_order_idx", columnList = "orderId", unique = true),
        @Index(name = "checkout_view_status_idx", columnList = "status, createdAt")})
public class CheckoutView {

    @Id
    private String id;
    @Column(nullable = false)
    private String orderId;
    @Column(nullable = false)
    private String customerId;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private CheckoutStatus status;
    @Column(length = 32)
    private String failedStep;
    @Column(length = 1000)
    private String reason;
    @Column(precision = 19, scale = 2)
    private BigDecimal total;
    /** The request's lines, as "productId x quantity" joined by commas. */
    @Column(length = 8000)
    private String lines;
    private Instant createdAt;
    private Instant endedAt;
    @Version
    private long version;

    protected CheckoutView() {
        // for JPA
    }

    CheckoutView(String id, String orderId, String customerId, String lines, Instant createdAt) {
        this.id = id;
        this.orderId = orderId;
        this.customerId = customerId;
        this.lines = lines;
        this.status = CheckoutStatus.RUNNING;
        this.createdAt = createdAt;
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

    public String getLines() {
        return lines;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getEndedAt() {
        return endedAt;
    }

    void compensating(String failedStep, String reason) {
        this.failedStep = failedStep;
        this.reason = reason;
    }

    void completed(BigDecimal total, Instant at) {
        this.status = CheckoutStatus.COMPLETED;
        this.total = total;
        this.endedAt = at;
    }

    void failed(String failedStep, String reason, Instant at) {
        this.status = CheckoutStatus.FAILED;
        this.failedStep = failedStep;
        this.reason = reason;
        this.endedAt = at;
    }
}
