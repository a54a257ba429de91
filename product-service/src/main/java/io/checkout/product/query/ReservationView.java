package io.checkout.product.query;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** One order's claim on one product's stock, as the product decided it. */
@Entity
@Table(name = "product_reservation")
@IdClass(ReservationView.Key.class)
public class ReservationView {

    /** RESERVED holds {@code quantity} units; RELEASED and REJECTED hold none. */
    public enum State { RESERVED, RELEASED, REJECTED }

    record Key(String productId, String orderId) implements Serializable {
        Key() {
            this(null, null);
        }
    }

    @Id
    private String productId;
    @Id
    private String orderId;
    private int quantity;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16, columnDefinition = "varchar(16)") // not an H2 ENUM: see docs/design.md
    private State state;
    private Instant updatedAt;

    protected ReservationView() {
        // for JPA
    }

    public Key getId() {
        return new Key(productId, orderId);
    }

    public String getProductId() {
        return productId;
    }

    public String getOrderId() {
        return orderId;
    }

    public int getQuantity() {
        return quantity;
    }

    public State getState() {
        return state;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
