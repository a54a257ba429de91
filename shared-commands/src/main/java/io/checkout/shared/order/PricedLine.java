package io.checkout.shared.order;

import io.checkout.shared.product.ProductId;
import java.math.BigDecimal;

/** An order line with the unit price its stock was reserved at. */
public record PricedLine(ProductId productId, int quantity, BigDecimal unitPrice) {

    public BigDecimal lineTotal() {
        return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }
}
