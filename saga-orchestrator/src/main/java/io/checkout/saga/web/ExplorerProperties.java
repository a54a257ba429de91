package io.checkout.saga.web;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param stuckAfter a running checkout older than this is shown as stuck (in the list, the page and the gauge);
 *                   keep it above the saga's step timeout, since a checkout waiting on a deadline is not stuck
 * @param queryTimeout how long the detail view waits for the order and product services' answers
 * @param ordersUrl    where the order service's HTTP API answers, to ask it over HTTP instead of Axon's query bus
 *                     (the multi-process mode, whose command bus carries no queries); with {@code productsUrl}
 * @param productsUrl  where the product service's HTTP API answers
 */
@ConfigurationProperties("checkout.explorer")
record ExplorerProperties(@DefaultValue("60s") Duration stuckAfter, @DefaultValue("2s") Duration queryTimeout,
                          URI ordersUrl, URI productsUrl) {
}
