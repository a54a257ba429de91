/**
 * Fault injection, off by default: rules that make a command, an event handler or the database fail, slow down,
 * lose, duplicate or crash, so that failure-injection suites can prove the saga stays consistent.
 */
package io.checkout.support.fault;
