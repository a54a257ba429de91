/** Messages owned by the order service. */
package io.checkout.shared.order;
