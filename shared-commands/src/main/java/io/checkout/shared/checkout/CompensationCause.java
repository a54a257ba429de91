package io.checkout.shared.checkout;

/** Why a checkout was compensated, in few enough kinds to count them. */
public enum CompensationCause {
    /** A participant refused by its rules: not enough stock, say. */
    REJECTED,
    /** A line named a product that does not exist. */
    UNKNOWN_PRODUCT,
    /** A command failed for good, or kept failing until its retries ran out. */
    COMMAND_FAILED,
    /** A step's deadline passed. */
    TIMED_OUT,
    /** The order was cancelled by someone other than this saga. */
    ORDER_CANCELLED,
    /** An operator forced it. */
    OPERATOR
}
