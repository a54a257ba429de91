package io.checkout.support.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The admin credentials that operator actions and admin endpoints need (HTTP Basic).
 *
 * @param username the admin's user name
 * @param password the admin's password; when empty (the default), admin actions are allowed without credentials,
 *                 but only to requests from the loopback address of this machine
 */
@ConfigurationProperties("checkout.admin")
record AdminProperties(@DefaultValue("admin") String username, @DefaultValue("") String password) {

    boolean credentialsSet() {
        return password != null && !password.isBlank();
    }
}
