/** Messages owned by the saga orchestrator: the checkout and what its saga decided. */
package io.checkout.shared.checkout;
