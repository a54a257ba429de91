/** Plain JDBC for the read models' writes. */
package io.checkout.support.jdbc;
