/**
 * The order read model, and the order service's own replica of the product catalogue (id, name, unit price), kept
 * in sync from product events: the order service never reads the product service's database nor calls it.
 */
package io.checkout.order.query;
