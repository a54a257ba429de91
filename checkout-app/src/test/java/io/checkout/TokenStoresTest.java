package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jpa.JpaTokenStore;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The embedded default's token store is Axon's JDBC one over the table Hibernate made for Axon's JPA token entries
 * ({@code checkout.token-store=jdbc}): the two stores read each other's tokens, and a claim taken by one holds against
 * the other, so a database moves between them at a restart.
 */
@SpringBootTest
class TokenStoresTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TempDataDir.register(registry, "token-stores-test");
    }

    @Autowired
    TokenStore configured;
    @Autowired
    EntityManagerProvider entityManagerProvider;
    /**
     * Transactions as the jpa settings give them, for both kinds of store (JdbcTransactionsConfig's JDBC transaction
     * manager, the application's with the JDBC stores, steps back for Axon's JPA stores); the JDBC stores join them.
     */
    TransactionManager transactionManager;

    @Autowired
    void transactions(EntityManagerFactory entityManagerFactory) {
        transactionManager = new SpringTransactionManager(new JpaTransactionManager(entityManagerFactory));
    }
    @Autowired
    Serializer serializer;

    @Test
    void theEmbeddedDefaultKeepsTokensWithTheJdbcStore() {
        assertThat(configured).isInstanceOf(JdbcTokenStore.class);
    }

    @Test
    void theStoresShareTheTableAndItsClaims() {
        TokenStore jdbc = configured;
        TokenStore jpa = JpaTokenStore.builder().entityManagerProvider(entityManagerProvider).serializer(serializer)
                .nodeId("another-node").claimTimeout(Duration.ofMinutes(1)).build();
        String processor = "tokens-test";
        inTransaction(() -> {
            jdbc.initializeTokenSegments(processor, 2);
            return null;
        });
        assertThat(inTransaction(() -> jpa.fetchSegments(processor))).containsExactly(0, 1);

        TrackingToken written = GapAwareTrackingToken.newInstance(41, List.of(38L, 40L));
        inTransaction(() -> {
            jdbc.storeToken(written, processor, 0);
            return null;
        });
        assertThat(inTransaction(() -> jdbc.fetchToken(processor, 0))).isEqualTo(written);
        assertThatThrownBy(() -> inTransaction(() -> jpa.fetchToken(processor, 0)))
                .as("the JDBC store's claim holds against another node's JPA store")
                .isInstanceOf(UnableToClaimTokenException.class);

        inTransaction(() -> {
            jdbc.releaseClaim(processor, 0);
            return null;
        });
        assertThat(inTransaction(() -> jpa.fetchToken(processor, 0))).isEqualTo(written);
        TrackingToken advanced = GapAwareTrackingToken.newInstance(45, List.of(40L));
        inTransaction(() -> {
            jpa.storeToken(advanced, processor, 0);
            return null;
        });
        assertThatThrownBy(() -> inTransaction(() -> jdbc.fetchToken(processor, 0)))
                .as("the JPA store's claim holds against the JDBC store")
                .isInstanceOf(UnableToClaimTokenException.class);
        inTransaction(() -> {
            jpa.releaseClaim(processor, 0);
            return null;
        });
        assertThat(inTransaction(() -> jdbc.fetchToken(processor, 0))).isEqualTo(advanced);
        assertThat(inTransaction(() -> jpa.fetchToken(processor, 1))).isNull();
    }

    private <T> T inTransaction(Supplier<T> work) {
        return transactionManager.fetchInTransaction(work);
    }
}
