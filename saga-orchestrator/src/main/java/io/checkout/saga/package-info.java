/**
 * The orchestrator: the {@code Checkout} aggregate that records each checkout, and {@code CheckoutSaga}, which
 * drives create order -> reserve stock -> approve and compensates when a step fails.
 */
package io.checkout.saga;
