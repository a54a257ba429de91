package io.checkout.support.fault;

import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.axonframework.config.ConfigurerModule;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires fault injection into the command bus, every event processor and the data source. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FaultProperties.class)
class FaultConfig {

    @Bean
    FaultInjector faultInjector(MeterRegistry meters, FaultProperties properties) {
        return new FaultInjector(meters, properties.rules());
    }

    @Bean
    ConfigurerModule faultsInEventProcessors(ObjectProvider<FaultInjector> faults) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerDefaultHandlerInterceptor((config, name) -> FaultInterceptors.events(faults.getObject(), name)));
    }

    /** Every connection the application takes goes through the {@code database} fault point. */
    @Bean
    static BeanPostProcessor faultyDataSource(ObjectProvider<FaultInjector> faults) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof DataSource dataSource && !(bean instanceof FaultyDataSource)
                        ? new FaultyDataSource(dataSource, faults) : bean;
            }
        };
    }
}
