package io.checkout.saga.query;

/** How one entry of a checkout's timeline went. */
public enum StepOutcome {
    /** The checkout began. */
    STARTED,
    /** The saga sent the step's command. */
    SENT,
    /** The step's command took effect. */
    SUCCEEDED,
    /** The participant refused, by its own rules (not enough stock, say). */
    REJECTED,
    /** The step's command failed (an error, a timeout). */
    FAILED,
    /** The step's command was sent again. */
    RETRIED,
    /** An operator acted on the checkout (retry, or forced compensation). */
    OPERATOR,
    /** The saga gave up going forward and began compensating. */
    COMPENSATING,
    /** The checkout ended: completed. */
    COMPLETED,
    /** The checkout ended: failed, with everything compensated. */
    COMPENSATED
}
