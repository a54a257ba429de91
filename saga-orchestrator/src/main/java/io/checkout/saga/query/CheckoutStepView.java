package io.checkout.saga.query;

import jakarta.persistence.Column;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import java.time.Instant;

/** One entry of a checkout's timeline: what happened at which step, when, and how it went. */
@Entity
@Table(name = "checkout_step", indexes = @Index(name = "checkout_step_checkout_idx", columnList = "checkoutId, at"))
public class CheckoutStepView {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(nullable = false)
    private String checkoutId;
    @Column(nullable = false)
    private Instant at;
    /** A {@code CheckoutStep} name, or CHECKOUT for the checkout as a whole. */
    @Column(nullable = false, length = 32)
    private String step;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16, columnDefinition = "varchar(16)") // not an H2 ENUM: see docs/design.md
    private StepOutcome outcome;
    private String productId;
    private Integer attempt;
    @Column(length = 1000)
    private String detail;

    protected CheckoutStepView() {
        // for JPA
    }

    /** An entry as read by a statement ({@link CheckoutRows#timelineOf}), outside any persistence context. */
    CheckoutStepView(Long id, String checkoutId, Instant at, String step, StepOutcome outcome, String productId,
                     Integer attempt, String detail) {
        this.id = id;
        this.checkoutId = checkoutId;
        this.at = at;
        this.step = step;
        this.outcome = outcome;
        this.productId = productId;
        this.attempt = attempt;
        this.detail = detail;
    }

    public Long getId() {
        return id;
    }

    public String getCheckoutId() {
        return checkoutId;
    }

    public Instant getAt() {
        return at;
    }

    public String getStep() {
        return step;
    }

    public StepOutcome getOutcome() {
        return outcome;
    }

    public String getProductId() {
        return productId;
    }

    public Integer getAttempt() {
        return attempt;
    }

    public String getDetail() {
        return detail;
    }
}
