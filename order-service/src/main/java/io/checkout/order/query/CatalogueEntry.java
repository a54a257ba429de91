package io.checkout.order.query;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;

/** The order service's copy of one product's name and current unit price. */
@Entity
@Table(name = "order_catalogue_replica")
public class CatalogueEntry {

    @Id
    private String productId;
    @Column(nullable = false)
    private String name;
    @Column(nullable = false, precision = 19, scale = 2)
    private BigDecimal unitPrice;

    protected CatalogueEntry() {
        // for JPA
    }


    public String getProductId() {
        return productId;
    }

    public String getName() {
        return name;
    }

    public BigDecimal getUnitPrice() {
        return unitPrice;
    }
}
