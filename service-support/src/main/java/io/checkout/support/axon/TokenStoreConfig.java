package io.checkout.support.axon;

import javax.sql.DataSource;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventhandling.tokenstore.jpa.JpaTokenStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.springboot.TokenStoreProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;

/**
 * The token store of the tracking processors, built as Axon's auto-configuration builds its JPA one (which then steps
 * back): {@code checkout.token-store} {@code jpa}, Axon's JPA store, or {@code jdbc}, Axon's JDBC store over the same
 * table ({@link #TOKEN_TABLE}), which Hibernate made for the JPA entries: a database moves between the two at a
 * restart. Tokens are kept in the process's own database in every mode, Axon Server's included.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
class TokenStoreConfig {

    /** The table and columns Hibernate made for Axon's {@code TokenEntry}, as the JDBC store must name them. */
    private static final TokenSchema TOKEN_TABLE = TokenSchema.builder()
            .setTokenTable("token_entry")
            .setProcessorNameColumn("processor_name")
            .setSegmentColumn("segment")
            .setTokenColumn("token")
            .setTokenTypeColumn("token_type")
            .setTimestampColumn("timestamp")
            .setOwnerColumn("owner")
            .build();

    /**
     * @param kind {@code checkout.token-store}: {@code jpa} (the default) or {@code jdbc}
     */
    @Bean
    TokenStore tokenStore(Serializer serializer, EntityManagerProvider entityManagerProvider, DataSource dataSource,
                          TokenStoreProperties properties, @Value("${checkout.token-store:jpa}") String kind) {
        if (kind.equals("jdbc")) {
            JdbcStores.requireH2(dataSource, "checkout.token-store=jdbc");
            return JdbcTokenStore.builder()
                    .connectionProvider(new SpringDataSourceConnectionProvider(dataSource))
                    .schema(TOKEN_TABLE)
                    .serializer(serializer)
                    .claimTimeout(properties.getClaimTimeout())
                    .build();
        }
        if (!kind.equals("jpa")) {
            throw new IllegalArgumentException("checkout.token-store is jpa or jdbc, not " + kind);
        }
        return JpaTokenStore.builder()
                .entityManagerProvider(entityManagerProvider)
                .serializer(serializer)
                .claimTimeout(properties.getClaimTimeout())
                .build();
    }
}
