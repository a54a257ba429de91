package io.checkout.saga.web;

import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ExplorerProperties.class)
class ExplorerConfig {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
