package io.checkout.shared.checkout;

/** How a command failed, which decides what the saga does next. */
public enum FailureKind {
    /** May work if sent again (a timeout, a lost connection, a locked row): retried with backoff. */
    TRANSIENT,
    /** Will fail again (a broken rule, no handler): the saga compensates at once. */
    PERMANENT,
    /** The target does not exist, so nothing was done there and nothing needs undoing. */
    NOT_FOUND
}
