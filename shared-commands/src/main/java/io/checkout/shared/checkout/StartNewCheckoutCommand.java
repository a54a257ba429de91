package io.checkout.shared.checkout;

/**
 * Starts a checkout whose id was made for this request (one without an Idempotency-Key), so that no checkout can
 * have it yet: the checkout is created without first being looked up, where {@link StartCheckoutCommand} (an id
 * derived from a key, which a repeat reuses) loads it, or finds it missing, before it decides. Should the id exist all
 * the same, the event store refuses the checkout's first event and the command fails; nothing is merged.
 */
public record StartNewCheckoutCommand(StartCheckoutCommand start) {
}
