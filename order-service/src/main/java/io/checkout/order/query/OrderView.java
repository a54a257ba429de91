package io.checkout.order.query;

import io.checkout.order.OrderStatus;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import org.hibernate.annotations.BatchSize;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** An order as the order service shows it. Prices are set when the order is approved. */
@Entity
@Table(name = "order_view")
public class OrderView {

    @Id
    private String id;
    private String customerId;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16, columnDefinition = "varchar(16)") // not an H2 ENUM: see docs/design.md
    private OrderStatus status;
    @Column(length = 1000)
    private String reason;
    @Column(precision = 19, scale = 2)
    private BigDecimal total;
    private Instant createdAt;
    private Instant updatedAt;
    // A page of views loads the lines of up to 64 of them in one query, not a query for each view.
    @BatchSize(size = 64)
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "order_view_line", joinColumns = @JoinColumn(name = "order_id"))
    @OrderColumn(name = "line_index")
    private List<OrderLineView> lines = new ArrayList<>();

    protected OrderView() {
        // for JPA
    }

    OrderView(String id, String customerId, OrderStatus status, List<OrderLineView> lines, Instant at) {
        this.id = id;
        this.customerId = customerId;
        this.status = status;
        this.lines = new ArrayList<>(lines);
        this.createdAt = at;
        this.updatedAt = at;
    }

    public String getId() {
        return id;
    }

    public String getCustomerId() {
        return customerId;
    }

    public OrderStatus getStatus() {
        return status;
    }

    public String getReason() {
        return reason;
    }

    public BigDecimal getTotal() {
        return total;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public List<OrderLineView> getLines() {
        return List.copyOf(lines);
    }

    void approve(List<OrderLineView> pricedLines, BigDecimal total, Instant at) {
        this.status = OrderStatus.APPROVED;
        this.lines = new ArrayList<>(pricedLines);
        this.total = total;
        this.updatedAt = at;
    }

    void cancel(String reason, Instant at) {
        this.status = OrderStatus.CANCELLED;
        this.reason = reason;
        this.updatedAt = at;
    }
}
