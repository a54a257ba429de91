package io.checkout.saga.query;

import java.time.Duration;
import java.time.Instant;

/** An ended checkout reduced to what throughput and latency need. */
public record EndedCheckout(CheckoutStatus status, Instant createdAt, Instant endedAt) {

    public Duration duration() {
        return Duration.between(createdAt, endedAt);
    }
}
