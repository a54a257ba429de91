package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.List;
import io.checkout.shared.order.OrderCreatedEvent;
import io.checkout.shared.product.StockReservedEvent;
import io.checkout.support.axon.UnitOfWorkWatchdog;
import org.axonframework.config.Configuration;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.MultiEventHandlerInvoker;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.axonframework.messaging.annotation.AnnotatedHandlerInspector;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.MultiHandlerDefinition;
import org.axonframework.messaging.annotation.MultiHandlerEnhancerDefinition;
import org.axonframework.messaging.timeout.HandlerTimeoutConfiguration;
import org.axonframework.messaging.timeout.HandlerTimeoutHandlerEnhancerDefinition;
import org.axonframework.messaging.timeout.TaskTimeoutSettings;
import org.axonframework.messaging.timeout.UnitOfWorkTimeoutInterceptor;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A watchdog is kept around each unit of work, the project's own in place of Axon's, and Axon's is left out around
 * each handler invocation, where it walked the thread's stack for every event, command and deadline a handler took
 * (design.md #37). The profile axon-defaults keeps Axon's. The two configurations differ in their transactions too:
 * on the connection alone where every store is JDBC (design.md #33), Spring's JPA transactions for Axon's JPA stores,
 * and in their subscribing processors' invokers (design.md #41).
 */
@SpringBootTest
class HandlerTimeoutsTest {

    /** The saga, the three aggregates and a projection: every kind of handler a checkout runs through. */
    private static final List<String> HANDLERS = List.of("io.checkout.saga.Checkout",
            "io.checkout.order.Order", "io.checkout.product.Product",
            "io.checkout.saga.query.CheckoutTimelineProjection", "io.checkout.saga.CheckoutSaga");

    /** Axon's wrapper of a handler with a timeout, package-private in Axon. */
    private static final Class<?> TIMEOUT_WRAPPER = wrapper();

    private static Class<?> wrapper() {
        try {
            return Class.forName("org.axonframework.messaging.timeout.TimeoutWrappedMessageHandlingMember");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Axon's handler timeout wrapper has moved", e);
        }
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TempDataDir.register(registry, "handler-timeouts-test");
    }

    @Autowired
    Configuration axon;
    @Autowired
    ApplicationContext context;

    @Test
    void eachProcessorsUnitsOfWorkAreWatchedByTheProjectsWatchdogNotAxons() {
        assertThat(context.getBeansOfType(UnitOfWorkWatchdog.class)).hasSize(1);
        assertThat(context.containsBean("axonTimeoutConfigurerModule")).isFalse();
        assertThat(processors(axon.eventProcessingConfiguration())).isNotEmpty().allSatisfy(processor ->
                assertThat(processor.getHandlerInterceptors()).as(processor.getName())
                        .noneMatch(UnitOfWorkTimeoutInterceptor.class::isInstance)
                        .anyMatch(HandlerTimeoutsTest::projectsWatchdog));
    }

    /** Each subscribing processor turns away the events of types it has no handler for with one lookup. */
    @Test
    void subscribingProcessorsLookUpTheTypesTheyHandle() {
        EventProcessingConfiguration processing = axon.eventProcessingConfiguration();
        assertThat(subscribing(processing)).isNotEmpty().allSatisfy(processor ->
                assertThat(processor.eventHandlerInvoker().getClass().getSimpleName()).as(processor.getName())
                        .isEqualTo("HandledTypesInvoker"));
        EventHandlerInvoker orders = processing.eventProcessor("order-view", SubscribingEventProcessor.class)
                .orElseThrow().eventHandlerInvoker();
        assertThat(orders.canHandleType(OrderCreatedEvent.class)).isTrue();
        assertThat(orders.canHandleType(StockReservedEvent.class)).isFalse();
    }

    @Test
    void transactionsAreTheConnectionsAloneWhereEveryStoreIsJdbc() {
        assertThat(context.getBean(PlatformTransactionManager.class)).isInstanceOf(JdbcTransactionManager.class);
    }

    /** Axon's default settings, for the side by side: Axon's watchdog, and not the project's. */
    @Nested
    @SpringBootTest
    @ActiveProfiles("axon-defaults")
    class AxonDefaults {

        @Autowired
        Configuration axon;
        @Autowired
        ApplicationContext context;

        @Test
        void keepSpringsJpaTransactionsForAxonsJpaStores() {
            assertThat(context.getBean(PlatformTransactionManager.class)).isInstanceOf(JpaTransactionManager.class);
        }

        @Test
        void keepAxonsInvokers() {
            assertThat(subscribing(axon.eventProcessingConfiguration())).isNotEmpty().allSatisfy(processor ->
                    assertThat(processor.eventHandlerInvoker()).as(processor.getName())
                            .isInstanceOf(MultiEventHandlerInvoker.class));
        }

        @Test
        void keepAxonsWatchdog() {
            assertThat(context.getBeansOfType(UnitOfWorkWatchdog.class)).isEmpty();
            assertThat(processors(axon.eventProcessingConfiguration())).isNotEmpty().allSatisfy(processor ->
                    assertThat(processor.getHandlerInterceptors()).as(processor.getName())
                            .anyMatch(UnitOfWorkTimeoutInterceptor.class::isInstance)
                            .noneMatch(HandlerTimeoutsTest::projectsWatchdog));
        }
    }

    private static List<EventProcessor> processors(EventProcessingConfiguration processing) {
        return List.copyOf(processing.eventProcessors().values());
    }

    private static List<SubscribingEventProcessor> subscribing(EventProcessingConfiguration processing) {
        return processing.eventProcessors().values().stream()
                .filter(SubscribingEventProcessor.class::isInstance).map(SubscribingEventProcessor.class::cast)
                .toList();
    }

    private static boolean projectsWatchdog(Object interceptor) {
        return interceptor.getClass().getName().startsWith(UnitOfWorkWatchdog.class.getName());
    }

    @Test
    void noHandlerCarriesATimeoutOfItsOwn() throws ClassNotFoundException {
        for (String name : HANDLERS) {
            Class<?> type = Class.forName(name);
            assertThat(handlers(type, axon.handlerDefinition(type))).as(name).isNotEmpty()
                    .noneMatch(HandlerTimeoutsTest::timed);
        }
    }

    @Test
    void axonsDefaultSettingsWouldWrapEachOfThem() throws ClassNotFoundException {
        // The check above can fail: with the settings Axon's Spring Boot starter defaults to (a warning after 10 s,
        // an interruption after 30 s), Axon's enhancer wraps every one of the same handlers.
        TaskTimeoutSettings starters = new TaskTimeoutSettings(30_000, 10_000, 1_000);
        HandlerTimeoutHandlerEnhancerDefinition timeouts = new HandlerTimeoutHandlerEnhancerDefinition(
                new HandlerTimeoutConfiguration(starters, starters, starters, starters));
        for (String name : HANDLERS) {
            Class<?> type = Class.forName(name);
            HandlerDefinition withTimeouts = MultiHandlerDefinition.ordered(List.of(axon.handlerDefinition(type)),
                    MultiHandlerEnhancerDefinition.ordered(timeouts));
            assertThat(handlers(type, withTimeouts)).as(name).isNotEmpty().allMatch(HandlerTimeoutsTest::timed);
        }
    }

    private List<MessageHandlingMember<?>> handlers(Class<?> type, HandlerDefinition definition) {
        return AnnotatedHandlerInspector.inspectType(type, axon.parameterResolverFactory(), definition)
                .getAllHandlers().values().stream().<MessageHandlingMember<?>>flatMap(Collection::stream).toList();
    }

    private static boolean timed(MessageHandlingMember<?> handler) {
        return handler.unwrap(TIMEOUT_WRAPPER).isPresent();
    }
}
