package io.checkout.support.axon;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.checkout.support.fault.FaultInjector;
import io.checkout.support.fault.FaultInterceptors;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.axonframework.commandhandling.AsynchronousCommandBus;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandBusSpanFactory;
import org.axonframework.commandhandling.DuplicateCommandHandlerResolver;
import org.axonframework.common.AxonThreadFactory;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingModule;
import org.axonframework.eventhandling.AbstractEventProcessor;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.micrometer.MetricsConfigurerModule;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.monitoring.MultiMessageMonitor;
import org.axonframework.queryhandling.QueryBus;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.axonframework.serialization.ChainingConverter;
import org.axonframework.serialization.RevisionResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.eventhandling.tokenstore.jpa.TokenEntry;
import org.axonframework.eventsourcing.eventstore.jpa.DomainEventEntry;
import org.axonframework.modelling.saga.repository.jpa.SagaEntry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.domain.EntityScan;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Axon wiring shared by every service: a Jackson serializer of its own and an asynchronous local command bus.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CommandBusProperties.class)
// Each service module names its own entity packages, and then Spring Boot no longer adds Axon's: name them here.
@EntityScan(basePackageClasses = {TokenEntry.class, SagaEntry.class, DomainEventEntry.class})
class AxonConfig {

    /**
     * Events, sagas and messages are stored as JSON. The mapper is Axon's own, not the web one: the web mapper
     * refuses unknown fields in requests, while stored events must stay readable when a field is added later. The
     * serializer remembers the classes of the type names it reads ({@link KnownClassesJacksonSerializer}).
     */
    @Bean
    @Primary
    Serializer serializer(RevisionResolver revisionResolver) {
        JsonMapper mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();
        return new KnownClassesJacksonSerializer(JacksonSerializer.builder()
                .revisionResolver(revisionResolver)
                .converter(new ChainingConverter(getClass().getClassLoader()))
                .objectMapper(mapper));
    }

    /**
     * An event handler's exception is propagated, never logged and skipped (Axon's default): a tracking processor
     * (the saga, the projections fed by other services) then retries the batch with backoff until it passes, and a
     * subscribing projection fails the command whose event it could not record. A skipped event would leave a saga
     * waiting for its deadline, or a read model wrong for good.
     */
    @Bean
    ConfigurerModule propagateHandlerErrors() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance()));
    }

    /**
     * Axon's module of event processors (the one its auto-configuration makes, unless there is one), whose subscribing
     * processors turn away an event of a type none of their handlers takes with one lookup ({@link
     * HandledTypesInvoker}). {@code checkout.events.handled-types-lookup=false} (the profile axon-defaults) leaves
     * Axon's invokers as they are.
     */
    @Bean
    EventProcessingModule eventProcessingModule(
            @Value("${checkout.events.handled-types-lookup:true}") boolean handledTypesLookup) {
        return handledTypesLookup ? new HandledTypesInvoker.ProcessingModule() : new EventProcessingModule();
    }

    /**
     * Axon's metrics (axon-micrometer, the meters its auto-configuration registers, dimensional or not) with two
     * changes: a processor is metered for the events it handles only ({@link HandledEventsMonitor}), and the
     * capacity gauges of processors and buses sum busy time per slice of their window instead of keeping every
     * message's ({@link CapacityWindowMonitor}); their timers and counters, the event bus's too, are registered once
     * per payload type ({@link PayloadTypeMetersMonitor}). Without Axon's metrics
     * module ({@code axon.metrics.auto-configuration.enabled=false}) nothing is added.
     */
    @Bean
    @SuppressWarnings("unchecked")
    ConfigurerModule axonMetrics(ObjectProvider<MetricsConfigurerModule> axonMetrics,
                                 ObjectProvider<GlobalMetricRegistry> registries,
                                 @Value("${axon.metrics.micrometer.dimensional:false}") boolean dimensional) {
        return configurer -> {
            GlobalMetricRegistry global = registries.getIfAvailable();
            if (axonMetrics.getIfAvailable() == null || global == null) {
                return;
            }
            MeterRegistry registry = global.getRegistry();
            configurer.configureMessageMonitor(EventProcessor.class, (configuration, type, name) -> {
                MessageMonitor<?> handledOnly = new HandledEventsMonitor(
                        AxonMonitors.eventProcessor(registry, name, dimensional),
                        processor -> configuration.eventProcessingConfiguration()
                                .eventProcessor(processor, AbstractEventProcessor.class)
                                .map(AbstractEventProcessor::eventHandlerInvoker)
                                .orElse(null),
                        name);
                return (MessageMonitor<Message<?>>) handledOnly;
            });
            configurer.configureMessageMonitor(EventBus.class,
                    (configuration, type, name) -> AxonMonitors.eventBus(registry, name, dimensional));
            for (Class<?> handlers : List.of(CommandBus.class, QueryBus.class, QueryUpdateEmitter.class)) {
                configurer.configureMessageMonitor(handlers,
                        (configuration, type, name) -> AxonMonitors.handlers(registry, name, dimensional));
            }
        };
    }

    /**
     * Commands run on a pool of their own, each in its own transaction. With Axon's default synchronous bus a
     * command that a saga sends joins the saga's transaction, and a command that fails marks that transaction
     * rollback-only: the saga's whole batch would then roll back and be retried forever instead of the failure
     * reaching the saga's failure handling.
     */
    @Bean(destroyMethod = "shutdown")
    @Qualifier("localSegment")
    AsynchronousCommandBus commandBus(TransactionManager transactionManager, Configuration axonConfiguration,
                                      DuplicateCommandHandlerResolver duplicateCommandHandlerResolver,
                                      CommandBusProperties properties, MeterRegistry meters,
                                      FaultInjector faults) {
        ExecutorService executor = Executors.newFixedThreadPool(properties.threads(),
                new AxonThreadFactory("commands"));
        AsynchronousCommandBus commandBus = AsynchronousCommandBus.builder()
                .executor(executor)
                .transactionManager(transactionManager)
                .duplicateCommandHandlerResolver(duplicateCommandHandlerResolver)
                .spanFactory(axonConfiguration.getComponent(CommandBusSpanFactory.class))
                .messageMonitor(new MultiMessageMonitor<>(
                        axonConfiguration.messageMonitor(CommandBus.class, "commandBus"),
                        new CommandLatencyMonitor(meters)))
                .build();
        commandBus.registerHandlerInterceptor(
                new CorrelationDataInterceptor<>(axonConfiguration.correlationDataProviders()));
        commandBus.registerHandlerInterceptor(CorrelationConfig.mdcInterceptor());
        // Last, so that it is the innermost: a fault then acts around the handler alone. A DUPLICATE command is
        // delivered again on this bus, where its handler is.
        commandBus.registerHandlerInterceptor(FaultInterceptors.commands(faults, commandBus));
        return commandBus;
    }
}
