package io.checkout.product.query;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;

/**
 * A product as the catalogue shows it. {@code stock} is what new checkouts can still reserve. The projection writes its
 * rows with statements of its own ({@link ProductRows}).
 */
@Entity
@Table(name = "product_view")
public class ProductView {

    @Id
    private String id;
    @Column(nullable = false)
    private String name;
    @Column(nullable = false, precision = 19, scale = 2)
    private BigDecimal price;
    private int stock;
    private int reserved;
    /** The stock the product was created with, and all units added since: stock + reserved always equals their sum. */
    private int initialStock;
    private long restocked;

    protected ProductView() {
        // for JPA
    }

    public String getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public BigDecimal getPrice() {
        return price;
    }

    public int getStock() {
        return stock;
    }

    public int getReserved() {
        return reserved;
    }

    public int getInitialStock() {
        return initialStock;
    }

    public long getRestocked() {
        return restocked;
    }
}
