/** What every service process shares: Axon wiring and the HTTP error model. No domain code lives here. */
package io.checkout.support;
