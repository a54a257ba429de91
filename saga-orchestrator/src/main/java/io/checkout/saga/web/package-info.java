/** The {@code /checkouts} HTTP API: starts checkouts and shows each with its timeline. */
package io.checkout.saga.web;
