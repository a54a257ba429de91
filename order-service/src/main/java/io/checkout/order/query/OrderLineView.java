package io.checkout.order.query;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.math.BigDecimal;

/** One line of an order; {@code unitPrice} is null until the order is approved. */
@Embeddable
public class OrderLineView {

    @Column(nullable = false)
    private String productId;
    private int quantity;
    @Column(precision = 19, scale = 2)
    private BigDecimal unitPrice;

    protected OrderLineView() {
        // for JPA
    }

    public String getProductId() {
        return productId;
    }

    public int getQuantity() {
        return quantity;
    }

    public BigDecimal getUnitPrice() {
        return unitPrice;
    }
}
