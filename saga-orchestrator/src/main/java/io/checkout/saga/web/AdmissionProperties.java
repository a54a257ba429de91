package io.checkout.saga.web;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How many checkouts may run at once ({@link CheckoutAdmission}).
 *
 * @param maxRunning new checkouts are refused (503) while this many are running; 0 admits all. Keep it below what
 *                   the system ends within the step timeout when it is slowest (a cold start): 400 waits about
 *                   13 s at the 30 a second a cold JVM carries, under the 30 s step timeout
 * @param retryAfter what the refusal's {@code Retry-After} asks the client to wait
 */
@ConfigurationProperties("checkout.admission")
record AdmissionProperties(@DefaultValue("400") long maxRunning, @DefaultValue("1s") Duration retryAfter) {
}
