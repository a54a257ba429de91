/** Messages owned by the product (stock) service. */
package io.checkout.shared.product;
