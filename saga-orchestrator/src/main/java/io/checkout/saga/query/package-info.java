/**
 * The checkout read model: each checkout's status and its timeline, every step with its time and outcome.
 * Built from the orchestrator's own events (in the same transaction) and from the participants' events.
 */
package io.checkout.saga.query;
