package io.checkout.support.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Reads and the business API (checkouts, products, orders) are open; operator actions
 * ({@code POST /checkouts/{id}/actions/...}), {@code /admin/**} and the actuator beyond health, info and
 * prometheus need the admin. With a password set that means HTTP Basic as the admin; without one, only requests
 * from loopback get through. A refusal is problem+json: 401 without (valid) credentials, 403 when not allowed.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AdminProperties.class)
class SecurityConfig {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);
    static final String ADMIN = "ADMIN";
    private static final String LOOPBACK_ONLY =
            "Without checkout.admin.password set, this action is allowed from loopback only";

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, AdminProperties admin, ObjectMapper json)
            throws Exception {
        AuthorizationManager<RequestAuthorizationContext> adminOnly = admin.credentialsSet()
                ? AuthorityAuthorizationManager.hasRole(ADMIN)
                : (authentication, context) -> new AuthorizationDecision(isLoopback(context.getRequest().getRemoteAddr()));
        if (!admin.credentialsSet()) {
            log.warn("No checkout.admin.password set: admin and operator actions are open to loopback requests only");
        }
        return http
                .csrf(csrf -> csrf.disable()) // a JSON API with Basic credentials, no cookies: nothing to forge
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(Customizer.withDefaults())
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(HttpMethod.POST, "/checkouts/*/actions/**").access(adminOnly)
                        .requestMatchers("/admin/**").access(adminOnly)
                        .requestMatchers("/actuator/health/**", "/actuator/info", "/actuator/prometheus").permitAll()
                        .requestMatchers("/actuator/**").access(adminOnly)
                        .anyRequest().permitAll())
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((request, response, ex) -> {
                            if (!admin.credentialsSet()) {
                                // No credentials exist that could help: the request is simply not from loopback.
                                problem(json, response, HttpStatus.FORBIDDEN, "Forbidden", LOOPBACK_ONLY);
                                return;
                            }
                            response.setHeader("WWW-Authenticate", "Basic realm=\"checkout-admin\"");
                            problem(json, response, HttpStatus.UNAUTHORIZED, "Authentication required",
                                    "This action needs the admin credentials (HTTP Basic)");
                        })
                        .accessDeniedHandler((request, response, ex) -> problem(json, response, HttpStatus.FORBIDDEN,
                                "Forbidden", admin.credentialsSet()
                                        ? "This action needs the admin role"
                                        : LOOPBACK_ONLY)))
                .build();
    }

    /**
     * Spring Security observes its filter chain, each of its filters, and each authentication and authorization,
     * whenever an observation registry is present: on every request, a dozen observations that nothing here reads
     * (their timers, {@code spring.security.*}, would repeat {@code http.server.requests}, which stays). Switched off
     * by name ({@code management.observations.enable.spring.security=false}) they were still made, as no-ops, around
     * every filter; with these settings Spring Security does not wrap its filters at all (docs/performance.md,
     * "Smaller costs, and a duplicate delivered again").
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    UserDetailsService adminUser(AdminProperties admin) {
        if (!admin.credentialsSet()) {
            return new InMemoryUserDetailsManager();
        }
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        return new InMemoryUserDetailsManager(User.withUsername(admin.username())
                .password(encoder.encode(admin.password()))
                .roles(ADMIN)
                .build());
    }

    static boolean isLoopback(String address) {
        try {
            return address != null && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void problem(ObjectMapper json, HttpServletResponse response, HttpStatus status, String title,
                                String detail) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status.value());
        body.put("detail", detail);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), body);
    }
}
