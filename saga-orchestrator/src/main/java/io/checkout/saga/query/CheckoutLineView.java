package io.checkout.saga.query;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** One line of a checkout as requested. */
@Embeddable
public class CheckoutLineView {

    @Column(nullable = false)
    private String productId;
    private int quantity;

    protected CheckoutLineView() {
        // for JPA
    }

    CheckoutLineView(String productId, int quantity) {
        this.productId = productId;
        this.quantity = quantity;
    }

    public String getProductId() {
        return productId;
    }

    public int getQuantity() {
        return quantity;
    }
}
