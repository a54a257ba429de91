/** The {@code /products} HTTP API: commands go to the aggregate, reads come from the catalogue. */
package io.checkout.product.web;
