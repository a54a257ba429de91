package io.checkout.saga.query;

import io.checkout.shared.checkout.CheckoutCompensationStartedEvent;
import io.checkout.shared.checkout.CheckoutCompletedEvent;
import io.checkout.shared.checkout.CheckoutFailedEvent;
import io.checkout.shared.checkout.CheckoutStartedEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Checkout metrics for Prometheus: started, completed, failed by step and cause, compensations by step and cause,
 * the saga's duration by outcome (a histogram), and gauges of running and stuck checkouts. Per-command latency is
 * Axon's own command bus timer, tagged by payload type (see application.yml).
 */
@Component
@ProcessingGroup(CheckoutMetrics.PROCESSING_GROUP)
class CheckoutMetrics {

    static final String PROCESSING_GROUP = "checkout-metrics";

    private final MeterRegistry registry;
    private final CheckoutRows rows;
    private final Counter started;
    private final Counter completed;

    CheckoutMetrics(MeterRegistry registry, CheckoutViewRepository checkouts, CheckoutRows rows, Clock clock,
                    @Value("${checkout.explorer.stuck-after:60s}") Duration stuckAfter) {
        this.registry = registry;
        this.rows = rows;
        this.started = Counter.builder("checkouts.started").description("Checkouts accepted").register(registry);
        this.completed = Counter.builder("checkouts.completed")
                .description("Checkouts that ended with the order approved").register(registry);
        Gauge.builder("checkouts.running", checkouts, r -> r.countByStatus(CheckoutStatus.RUNNING))
                .description("Checkouts whose saga is under way").register(registry);
        Gauge.builder("checkouts.stuck", checkouts,
                        r -> r.countByStatusAndCreatedAtBefore(CheckoutStatus.RUNNING, clock.instant().minus(stuckAfter)))
                .description("Checkouts running longer than checkout.explorer.stuck-after").register(registry);
    }

    @EventHandler
    void on(CheckoutStartedEvent event) {
        started.increment();
    }

    @EventHandler
    void on(CheckoutCompensationStartedEvent event) {
        Counter.builder("checkouts.compensations").description("Checkouts that began compensating")
                .tag("step", event.failedStep().name()).tag("cause", event.cause().name())
                .register(registry).increment();
    }

    @EventHandler
    void on(CheckoutCompletedEvent event, @Timestamp Instant at) {
        completed.increment();
        recordDuration(event.checkoutId().value(), "COMPLETED", at);
    }

    @EventHandler
    void on(CheckoutFailedEvent event, @Timestamp Instant at) {
        Counter.builder("checkouts.failed").description("Checkouts that ended compensated")
                .tag("step", event.failedStep().name()).tag("cause", event.cause().name())
                .register(registry).increment();
        recordDuration(event.checkoutId().value(), "FAILED", at);
    }

    private void recordDuration(String checkoutId, String outcome, Instant endedAt) {
        rows.createdAt(checkoutId).ifPresent(createdAt -> Timer.builder("checkouts.duration")
                .description("From the accepted request to the end of the saga")
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry)
                .record(Duration.between(createdAt, endedAt)));
    }
}
