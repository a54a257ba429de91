/** The catalogue read model: each product's stock and reserved units, kept in step with the aggregate. */
package io.checkout.product.query;
