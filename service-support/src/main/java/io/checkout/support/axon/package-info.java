/** Axon wiring shared by every service process. */
package io.checkout.support.axon;
