package io.checkout.saga.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CheckoutAdmissionTest {

    private final AtomicLong runningInTheReadModel = new AtomicLong();
    private final AtomicInteger counts = new AtomicInteger();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicLong nanos = new AtomicLong();

    private CheckoutAdmission admission(long maxRunning) {
        return new CheckoutAdmission(() -> {
            counts.incrementAndGet();
            return runningInTheReadModel.get();
        }, nanos::get, new AdmissionProperties(maxRunning, Duration.ofMillis(1500)), meters);
    }

    @Test
    void aBurstBetweenTwoCountsIsHeldToTheBound() {
        CheckoutAdmission admission = admission(3);
        runningInTheReadModel.set(1);

        admission.admit();
        admission.admit();

        assertThatThrownBy(admission::admit)
                .isInstanceOfSatisfying(CheckoutAdmission.Overloaded.class, refused -> {
                    assertThat(refused.retryAfterSeconds()).isEqualTo(2);
                    assertThat(refused).hasMessageContaining("3 checkouts are running");
                });
        assertThat(counts).hasValue(1);
        assertThat(meters.get("checkouts.refused").counter().count()).isEqualTo(1);
    }

    @Test
    void admitsAgainOnceTheReadModelShowsCheckoutsEnded() {
        CheckoutAdmission admission = admission(2);
        runningInTheReadModel.set(2);
        assertThatThrownBy(admission::admit).isInstanceOf(CheckoutAdmission.Overloaded.class);

        runningInTheReadModel.set(1);
        // Not before the next count.
        nanos.addAndGet(CheckoutAdmission.RECOUNT.toNanos() - 1);
        assertThatThrownBy(admission::admit).isInstanceOf(CheckoutAdmission.Overloaded.class);

        nanos.addAndGet(1);
        admission.admit();
        assertThatThrownBy(admission::admit).isInstanceOf(CheckoutAdmission.Overloaded.class);
        assertThat(counts).hasValue(2);
    }

    @Test
    void noBoundAdmitsEverythingWithoutCounting() {
        CheckoutAdmission admission = admission(0);
        runningInTheReadModel.set(1_000_000);

        for (int i = 0; i < 100; i++) {
            admission.admit();
        }

        assertThat(counts).hasValue(0);
    }
}
