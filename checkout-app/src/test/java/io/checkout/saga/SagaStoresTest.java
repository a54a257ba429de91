package io.checkout.saga;

import static org.assertj.core.api.Assertions.assertThat;

import io.checkout.TempDataDir;
import jakarta.persistence.EntityManagerFactory;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.axonframework.modelling.saga.AssociationValue;
import org.axonframework.modelling.saga.AssociationValuesImpl;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.modelling.saga.repository.jdbc.JdbcSagaStore;
import org.axonframework.modelling.saga.repository.jpa.JpaSagaStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Axon's JDBC saga store over the tables Hibernate made for its JPA store ({@link SagaTables}, the embedded default):
 * it keeps a saga and its associations as the JPA store does, and the two read and change each other's sagas in one
 * database without ever taking the same association id.
 */
@SpringBootTest
class SagaStoresTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TempDataDir.register(registry, "saga-stores-test");
    }

    @Autowired
    DataSource dataSource;
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

    @ParameterizedTest
    @ValueSource(strings = {"jpa", "jdbc"})
    void keepsASagaAndItsAssociationsFromInsertToDelete(String kind) {
        SagaStore<Object> store = store(kind);
        String id = "saga-" + kind;
        AssociationValue order = new AssociationValue("orderId", "order-" + kind);
        AssociationValue checkout = new AssociationValue("checkoutId", "checkout-" + kind);
        AssociationValue product = new AssociationValue("productId", "product-" + kind);
        inTransaction(() -> {
            store.insertSaga(Progress.class, id, new Progress(1), Set.of(order, checkout));
            return null;
        });
        assertThat(inTransaction(() -> store.findSagas(Progress.class, order))).containsExactly(id);

        AssociationValuesImpl changed = new AssociationValuesImpl(Set.of(order, checkout));
        changed.add(product);
        changed.remove(checkout);
        inTransaction(() -> {
            store.updateSaga(Progress.class, id, new Progress(2), changed);
            return null;
        });

        SagaStore.Entry<Progress> loaded = inTransaction(() -> store.loadSaga(Progress.class, id));
        assertThat(loaded.saga().step).isEqualTo(2);
        assertThat(loaded.associationValues()).containsExactlyInAnyOrder(order, product);
        assertThat(inTransaction(() -> store.findSagas(Progress.class, checkout))).isEmpty();
        assertThat(inTransaction(() -> store.findSagas(Progress.class, product))).containsExactly(id);

        inTransaction(() -> {
            store.deleteSaga(Progress.class, id, Set.of(order, product));
            return null;
        });
        assertThat(inTransaction(() -> store.loadSaga(Progress.class, id))).isNull();
        assertThat(inTransaction(() -> store.findSagas(Progress.class, order))).isEmpty();
    }

    /** A database the JPA store wrote, then the JDBC store (after a restart), then the JPA store again. */
    @Test
    void theStoresShareTheTables() {
        SagaStore<Object> jpa = store("jpa");
        SagaStore<Object> jdbc = store("jdbc");
        AssociationValue first = new AssociationValue("orderId", "shared-1");
        AssociationValue added = new AssociationValue("productId", "shared-2");
        inTransaction(() -> {
            jpa.insertSaga(Progress.class, "shared", new Progress(1), Set.of(first));
            return null;
        });

        SagaStore.Entry<Progress> byJdbc = inTransaction(() -> jdbc.loadSaga(Progress.class, "shared"));
        assertThat(byJdbc.saga().step).isEqualTo(1);
        assertThat(byJdbc.associationValues()).containsExactly(first);
        AssociationValuesImpl associations = new AssociationValuesImpl(Set.of(first));
        associations.add(added);
        inTransaction(() -> {
            jdbc.updateSaga(Progress.class, "shared", new Progress(2), associations);
            jdbc.insertSaga(Progress.class, "by-jdbc", new Progress(7), Set.of(new AssociationValue("orderId", "j")));
            return null;
        });
        inTransaction(() -> {
            jpa.insertSaga(Progress.class, "by-jpa", new Progress(8), Set.of(new AssociationValue("orderId", "p")));
            return null;
        });

        assertThat(inTransaction(() -> jpa.findSagas(Progress.class, added))).containsExactly("shared");
        assertThat(inTransaction(() -> jpa.loadSaga(Progress.class, "shared")).saga().step).isEqualTo(2);
        assertThat(inTransaction(() -> jpa.loadSaga(Progress.class, "by-jdbc")).associationValues())
                .containsExactly(new AssociationValue("orderId", "j"));
        assertThat(inTransaction(() -> jdbc.loadSaga(Progress.class, "by-jpa")).saga().step).isEqualTo(8);
        assertThat(new JdbcTemplate(dataSource).queryForObject(
                "SELECT COUNT(DISTINCT id) FROM association_value_entry WHERE saga_id IN ('shared', 'by-jdbc', 'by-jpa')",
                Integer.class)).isEqualTo(4);
    }

    private SagaStore<Object> store(String kind) {
        if (kind.equals("jdbc")) {
            return JdbcSagaStore.builder()
                    .connectionProvider(new SpringDataSourceConnectionProvider(dataSource))
                    .sqlSchema(new SagaTables())
                    .serializer(serializer)
                    .build();
        }
        return JpaSagaStore.builder().entityManagerProvider(entityManagerProvider).serializer(serializer).build();
    }

    private <T> T inTransaction(Supplier<T> work) {
        return transactionManager.fetchInTransaction(work);
    }

    /** A saga's state, as the serializer writes it. */
    public static class Progress {

        public int step;

        public Progress() {
        }

        Progress(int step) {
            this.step = step;
        }
    }
}
