/** The product (stock) service: the {@code Product} aggregate, which holds stock and per-order reservations. */
package io.checkout.product;
