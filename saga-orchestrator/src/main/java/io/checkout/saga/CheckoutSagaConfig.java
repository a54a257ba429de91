package io.checkout.saga;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceException;
import io.micrometer.core.instrument.MeterRegistry;
import io.checkout.support.axon.JdbcStores;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import javax.sql.DataSource;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.ConfigurationScopeAwareProvider;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.DeadlineManagerSpanFactory;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.modelling.saga.repository.jdbc.JdbcSagaStore;
import org.axonframework.modelling.saga.repository.jpa.JpaSagaStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CheckoutSagaProperties.class)
class CheckoutSagaConfig {

    /**
     * Axon's saga store behind a cache of committed sagas and association lookups ({@link CommittedSagaCache}),
     * unless {@code checkout.saga.cache-size} is 0: with {@code checkout.saga.store} {@code jpa} its JPA store (as its
     * auto-configuration makes it, which then steps back), with {@code jdbc} its JDBC store over the same tables
     * ({@link SagaTables}).
     */
    @Bean
    SagaStore<Object> sagaStore(Serializer serializer, EntityManagerProvider entityManagerProvider,
                                DataSource dataSource, CheckoutSagaProperties properties, MeterRegistry meters,
                                @Value("${checkout.saga.store:jpa}") String storeKind) {
        SagaStore<Object> store = switch (storeKind) {
            case "jpa" -> JpaSagaStore.builder()
                    .entityManagerProvider(entityManagerProvider)
                    .serializer(serializer)
                    .build();
            case "jdbc" -> {
                JdbcStores.requireH2(dataSource, "checkout.saga.store=jdbc");
                yield JdbcSagaStore.builder()
                        .connectionProvider(new SpringDataSourceConnectionProvider(dataSource))
                        .sqlSchema(new SagaTables())
                        .serializer(serializer)
                        .build();
            }
            default -> throw new IllegalArgumentException("checkout.saga.store is jpa or jdbc, not " + storeKind);
        };
        if (properties.cacheSize() <= 0) {
            return store;
        }
        CommittedSagaCache<Object> cache = new CommittedSagaCache<>(store, properties.cacheSize());
        CaffeineCacheMetrics.monitor(meters, cache.sagas(), "checkout.saga.cache.sagas");
        CaffeineCacheMetrics.monitor(meters, cache.associations(), "checkout.saga.cache.associations");
        return cache;
    }

    /**
     * The durable deadline manager, as Axon's db-scheduler auto-configuration makes it (which then steps back), but
     * see {@link QuietCancelDeadlineManager}.
     */
    @Bean
    DeadlineManager deadlineManager(Scheduler scheduler, Configuration configuration, Serializer serializer,
                                    TransactionManager transactionManager, DeadlineManagerSpanFactory spanFactory) {
        return new QuietCancelDeadlineManager(DbSchedulerDeadlineManager.builder()
                .scheduler(scheduler)
                .scopeAwareProvider(new ConfigurationScopeAwareProvider(configuration))
                .serializer(serializer)
                .transactionManager(transactionManager)
                .spanFactory(spanFactory)
                .startScheduler(false)
                .stopScheduler(false), scheduler);
    }

    /**
     * Axon's db-scheduler deadline manager, except that cancelling a deadline that is firing at this very moment
     * (or has just fired) does nothing, instead of failing the transaction it was cancelled in. A saga cancels its
     * step deadline when it ends; the rare deadline that fires at that moment then finds the saga ended and does
     * nothing. Like Axon's, the cancellation is written when the unit of work commits, in its transaction.
     */
    static final class QuietCancelDeadlineManager extends DbSchedulerDeadlineManager {

        private static final Logger log = LoggerFactory.getLogger(QuietCancelDeadlineManager.class);
        private final Scheduler scheduler;

        QuietCancelDeadlineManager(DbSchedulerDeadlineManager.Builder builder, Scheduler scheduler) {
            super(builder);
            this.scheduler = scheduler;
        }

        @Override
        public void cancelSchedule(String deadlineName, String scheduleId) {
            Runnable cancel = () -> {
                try {
                    scheduler.cancel(new DbSchedulerDeadlineToken(scheduleId));
                } catch (TaskInstanceException runningOrGone) {
                    log.debug("Deadline {} {} not cancelled: {}", deadlineName, scheduleId, runningOrGone.getMessage());
                }
            };
            if (CurrentUnitOfWork.isStarted()) {
                CurrentUnitOfWork.get().onPrepareCommit(unitOfWork -> cancel.run());
            } else {
                cancel.run();
            }
        }
    }
}
