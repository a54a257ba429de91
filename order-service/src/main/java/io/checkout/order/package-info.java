/** The order service: the {@code Order} aggregate, PENDING until it is approved or cancelled. */
package io.checkout.order;
