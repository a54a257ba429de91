package io.checkout.saga;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How patient the checkout saga is.
 *
 * @param stepTimeout            how long one forward step (create order, reserve every line, approve), retries
 *                               included, may take before the saga compensates
 * @param maxAttempts            how often a forward step's command is sent, in all, while it fails transiently
 * @param retryBackoff           the wait before the first retry of a forward step; it doubles with each retry
 * @param maxRetryBackoff        the longest wait between two retries of a forward step
 * @param compensationBackoff    the wait before unconfirmed compensations are sent again; it doubles each round
 * @param maxCompensationBackoff the longest wait between two rounds of compensation: compensations are retried
 *                               until they succeed, at least this often
 * @param cacheSize              how many committed sagas, and twice as many association lookups, are kept in memory
 *                               ({@link CommittedSagaCache}); 0 reads every saga from the database
 */
@ConfigurationProperties("checkout.saga")
public record CheckoutSagaProperties(@DefaultValue("30s") Duration stepTimeout,
                                     @DefaultValue("5") int maxAttempts,
                                     @DefaultValue("200ms") Duration retryBackoff,
                                     @DefaultValue("5s") Duration maxRetryBackoff,
                                     @DefaultValue("1s") Duration compensationBackoff,
                                     @DefaultValue("30s") Duration maxCompensationBackoff,
                                     @DefaultValue("10000") long cacheSize) {

    public CheckoutSagaProperties {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("checkout.saga.max-attempts must be at least 1");
        }
    }

    /** The wait before retry number {@code attempt} (1 for the first retry). */
    Duration retryDelay(int attempt) {
        return exponential(retryBackoff, maxRetryBackoff, attempt);
    }

    /** The wait before compensation round {@code round} (1 for the first). */
    Duration compensationDelay(int round) {
        return exponential(compensationBackoff, maxCompensationBackoff, round);
    }

    private static Duration exponential(Duration first, Duration max, int n) {
        Duration delay = first.multipliedBy(1L << Math.min(Math.max(n - 1, 0), 20));
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
