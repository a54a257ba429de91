/** JPA mapping shared by the services' read models. */
package io.checkout.support.jpa;
