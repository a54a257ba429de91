package io.checkout.order.query;

import io.checkout.order.OrderStatus;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ConstraintMode;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.ForeignKey;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import org.hibernate.annotations.BatchSize;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An order as the order service shows it. Prices are set when the order is approved. The projection writes its rows
 * with statements of its own ({@link OrderRows}).
 */
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
    // No foreign key: H2 gives a foreign key an index of its own even when the primary key (order_id, line_index)
    // begins with its column, so every line was written into two indexes. Only the view writes its lines.
    @CollectionTable(name = "order_view_line", joinColumns = @JoinColumn(name = "order_id"),
            foreignKey = @ForeignKey(ConstraintMode.NO_CONSTRAINT))
    @OrderColumn(name = "line_index")
    private List<OrderLineView> lines = new ArrayList<>();

    protected OrderView() {
        // for JPA
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
}
