/** The {@code /orders} HTTP API, served from the order read model. */
package io.checkout.order.web;
