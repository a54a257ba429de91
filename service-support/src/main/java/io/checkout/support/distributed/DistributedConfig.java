package io.checkout.support.distributed;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The command routing of a service that shares its event store with other processes (the event store, and how often
 * it looks for their events: {@code EventStoreConfig}).
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
class DistributedConfig {

    /**
     * Hands the JGroups members to find at start ({@code checkout.cluster.members}, as {@code host[port],...}) to the
     * JGroups stack file, which reads them from a system property. It runs before any bean exists, so before the
     * connector reads the file.
     */
    @Bean
    static BeanFactoryPostProcessor jgroupsInitialMembers(Environment environment) {
        return beanFactory -> {
            String members = environment.getProperty("checkout.cluster.members");
            if (members != null && !members.isBlank()) {
                System.setProperty("jgroups.tcpping.initial_hosts", members);
            }
        };
    }
}
