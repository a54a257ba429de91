/**
 * The invariant auditor (I1 to I5 of the design) and the chaos run. Both see the system only through its public
 * HTTP APIs, so they work against a test, a developer's process or a deployment alike.
 */
package io.checkout.audit;
