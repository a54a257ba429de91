package io.checkout.support.jdbc;

import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Transactions on the JDBC connection alone when nothing writes through JPA: Axon's JDBC stores (the event engine,
 * the saga store, the token store, each chosen by its setting) and the read models' statements. Spring Boot's
 * {@code JpaTransactionManager}, which steps back for this one, would open, flush and close a Hibernate session
 * around every command, processor batch and event-store read (2.1% of the CPU a checkout, docs/performance.md).
 * JPA still reads the explorer's lists and counts and the participants' views, each query with an entity manager of
 * its own. With any of Axon's JPA stores (the {@code postgres} and {@code axon-defaults} profiles) the JPA
 * transaction manager stays.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${checkout.event-store.engine:jpa}' == 'jdbc' and '${checkout.saga.store:jpa}' == 'jdbc'"
        + " and '${checkout.token-store:jpa}' == 'jdbc'")
class JdbcTransactionsConfig {

    @Bean
    PlatformTransactionManager transactionManager(DataSource dataSource) {
        return new JdbcTransactionManager(dataSource);
    }
}
