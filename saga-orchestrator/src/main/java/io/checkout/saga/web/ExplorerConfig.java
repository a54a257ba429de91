package io.checkout.saga.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ExplorerProperties.class, AdmissionProperties.class})
class ExplorerConfig {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    Participants participants(ExplorerProperties settings, QueryGateway queries, ObjectMapper json) {
        if (settings.ordersUrl() != null && settings.productsUrl() != null) {
            return new HttpParticipants(settings.ordersUrl(), settings.productsUrl(), settings.queryTimeout(), json);
        }
        return Participants.viaQueryBus(queries);
    }
}
