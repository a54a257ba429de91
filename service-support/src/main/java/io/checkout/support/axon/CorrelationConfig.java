package io.checkout.support.axon;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.slf4j.MDC;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Ties every message and log line to its checkout. The checkout id travels as message metadata: Axon copies it from
 * each message handled onto each message sent while handling it, across services. While a message is handled, the
 * id is in the logging context (MDC) under the same key, and the log pattern prints it.
 */
@Configuration(proxyBeanMethods = false)
class CorrelationConfig {

    /** The metadata and MDC key; the same as {@code CheckoutMetaData.CHECKOUT_ID} in the contract. */
    static final String CHECKOUT_ID = "checkoutId";

    @Bean
    CorrelationDataProvider checkoutIdCorrelation() {
        return new SimpleCorrelationDataProvider(CHECKOUT_ID);
    }

    @Bean
    ConfigurerModule checkoutIdInLogs() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerDefaultHandlerInterceptor((config, name) -> mdcInterceptor()));
    }

    /** Puts the handled message's checkout id in the logging context for the time it is handled. */
    static <T extends Message<?>> MessageHandlerInterceptor<T> mdcInterceptor() {
        return (unitOfWork, chain) -> {
            Object checkoutId = unitOfWork.getMessage().getMetaData().get(CHECKOUT_ID);
            if (checkoutId == null) {
                return chain.proceed();
            }
            String previous = MDC.get(CHECKOUT_ID);
            MDC.put(CHECKOUT_ID, checkoutId.toString());
            try {
                return chain.proceed();
            } finally {
                if (previous == null) {
                    MDC.remove(CHECKOUT_ID);
                } else {
                    MDC.put(CHECKOUT_ID, previous);
                }
            }
        };
    }
}
