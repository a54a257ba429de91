package io.checkout.support.axon;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param threads how many commands run at once; each holds a database connection while it runs, so keep it below
 *                the connection pool's size
 */
@ConfigurationProperties("checkout.command-bus")
record CommandBusProperties(@DefaultValue("8") int threads) {
}
