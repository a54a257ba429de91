/** Who may do what: reads are open, operator and admin actions need the admin credentials. */
package io.checkout.support.security;
