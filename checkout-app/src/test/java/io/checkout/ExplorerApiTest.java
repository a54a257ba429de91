package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.checkout.saga.query.CheckoutStepView;
import io.checkout.saga.query.CheckoutView;
import io.checkout.shared.product.ReserveStockCommand;
import jakarta.persistence.EntityManagerFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.common.Registration;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.hibernate.SessionFactory;
import org.hibernate.stat.CollectionStatistics;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.ObservationFilterChainDecorator;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.util.ReflectionTestUtils;

/** The saga explorer's API: filters, paging, stuck checkouts, operator actions, metrics, health and OpenAPI. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability // tests switch metrics export off unless asked
class ExplorerApiTest {

    private static final String ADMIN = "Basic " + Base64.getEncoder()
            .encodeToString("admin:s3cret".getBytes(StandardCharsets.UTF_8));
    private static final String WRONG = "Basic " + Base64.getEncoder()
            .encodeToString("admin:guess".getBytes(StandardCharsets.UTF_8));

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TempDataDir.register(registry, "checkout-explorer-test");
        registry.add("checkout.admin.password", () -> "s3cret");
        registry.add("checkout.explorer.stuck-after", () -> "1s");
        registry.add("checkout.saga.step-timeout", () -> "60s");
        registry.add("spring.jpa.properties.hibernate.generate_statistics", () -> "true");
    }

    @LocalServerPort
    int port;

    @Autowired
    CommandBus commandBus;

    @Autowired
    FilterChainProxy securityFilterChain;

    @Autowired
    EntityManagerFactory entityManagerFactory;

    @Autowired
    org.axonframework.config.Configuration axonConfiguration;

    private Api api;
    private final List<Registration> faults = new ArrayList<>();

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    @AfterEach
    void clearFaults() {
        faults.forEach(Registration::cancel);
    }

    /** Reserve commands for this product vanish on the way: its checkouts wait on their step deadline. */
    private Registration loseReservesOf(String productId) {
        Registration fault = commandBus.registerHandlerInterceptor((unitOfWork, chain) ->
                unitOfWork.getMessage().getPayload() instanceof ReserveStockCommand reserve
                        && reserve.productId().value().equals(productId) ? null : chain.proceed());
        faults.add(fault);
        return fault;
    }

    private String stuckCheckout(String productId) {
        String id = api.checkout("stuck-customer", productId + ":1");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                api.get("/checkouts?stuck=true&size=500").body().path("items").findValuesAsText("id").contains(id));
        return id;
    }

    @Test
    void listsRunningCheckoutsLongerThanTheThresholdAsStuck() {
        String product = api.createProduct("Slow", "1.00", 10);
        String healthy = api.createProduct("Quick", "1.00", 10);
        loseReservesOf(product);

        String stuck = stuckCheckout(product);
        String done = api.checkout("quick-customer", healthy + ":1");
        api.awaitEnded(done);

        JsonNode page = api.get("/checkouts?stuck=true&size=500").body();
        assertThat(page.path("items").findValuesAsText("id")).contains(stuck).doesNotContain(done);
        JsonNode item = find(page, stuck);
        assertThat(item.path("status").asText()).isEqualTo("RUNNING");
        assertThat(item.path("stuck").asBoolean()).isTrue();
        assertThat(item.path("currentStep").asText()).isEqualTo("RESERVE_STOCK");
        assertThat(item.path("ageMillis").asLong()).isGreaterThanOrEqualTo(1000);
        // The current step is the last command sent (CREATE_ORDER came before); an ended checkout has none.
        assertThat(api.get("/checkouts/" + stuck).body().path("currentStep").asText()).isEqualTo("RESERVE_STOCK");
        assertThat(api.get("/checkouts/" + done).body().path("currentStep").isNull()).isTrue();
        JsonNode all = api.get("/checkouts?size=500").body();
        assertThat(find(all, done).path("currentStep").isNull()).isTrue();
        assertThat(find(all, stuck).path("currentStep").asText()).isEqualTo("RESERVE_STOCK");
        assertThat(api.get("/checkouts/stats").body().path("stuck").asLong()).isPositive();
    }

    @Test
    void filtersByStartTimeAndPages() {
        String product = api.createProduct("Paged", "1.00", 100);
        Instant before = Instant.now();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(api.checkout("pager", product + ":1"));
        }

        JsonNode first = api.get("/checkouts?since=" + before + "&size=2&page=0").body();
        JsonNode third = api.get("/checkouts?since=" + before + "&size=2&page=2").body();

        assertThat(first.path("totalItems").asLong()).isEqualTo(5);
        assertThat(first.path("totalPages").asInt()).isEqualTo(3);
        assertThat(first.path("items")).hasSize(2);
        assertThat(third.path("items")).hasSize(1);
        List<String> seen = new ArrayList<>();
        for (int page = 0; page < 3; page++) {
            seen.addAll(api.get("/checkouts?since=" + before + "&size=2&page=" + page).body().path("items")
                    .findValuesAsText("id"));
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(api.get("/checkouts?since=" + Instant.now().plusSeconds(3600)).body().path("totalItems").asLong())
                .isZero();
        assertThat(api.get("/checkouts?size=0").status()).isEqualTo(400);
        assertThat(api.get("/checkouts?since=yesterday").status()).isEqualTo(400);
    }

    @Test
    void detailShowsSentCommandsAnswersWithDurationsAndTheParticipantsNow() {
        String product = api.createProduct("Detailed", "2.00", 10);
        String id = api.checkout("detail-customer", product + ":4");
        api.awaitEnded(id);

        JsonNode checkout = api.awaitTimeline(id, t -> assertThat(t).containsSubsequence("CREATE_ORDER SENT",
                "CREATE_ORDER SUCCEEDED", "RESERVE_STOCK SENT", "RESERVE_STOCK SUCCEEDED", "APPROVE_ORDER SENT",
                "APPROVE_ORDER SUCCEEDED", "CHECKOUT COMPLETED"));
        JsonNode reserved = StreamSupport.stream(checkout.path("steps").spliterator(), false)
                .filter(s -> s.path("step").asText().equals("RESERVE_STOCK")
                        && s.path("outcome").asText().equals("SUCCEEDED"))
                .findFirst().orElseThrow();
        assertThat(reserved.path("durationMillis").isNumber()).isTrue();
        JsonNode participants = checkout.path("participants");
        assertThat(participants.path("order").path("status").asText()).isEqualTo("APPROVED");
        assertThat(participants.path("products").get(0).path("reserved").asInt()).isEqualTo(4);
        assertThat(participants.path("products").get(0).path("stock").asInt()).isEqualTo(6);
        assertThat(participants.path("unavailable")).isEmpty();
    }

    @Test
    void operatorActionsNeedTheAdminCredentials() {
        String product = api.createProduct("Guarded", "1.00", 10);
        loseReservesOf(product);
        String id = api.checkout("guarded-customer", product + ":1");

        Api.Response anonymous = api.post("/checkouts/" + id + "/actions/retry", "");
        Api.Response wrong = api.post("/checkouts/" + id + "/actions/compensate", "{\"reason\":\"x\"}",
                Map.of("Authorization", WRONG));

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.contentType()).startsWith("application/problem+json");
        assertThat(anonymous.body().path("detail").asText()).contains("admin credentials");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(api.get("/checkouts/" + id).body().path("steps").findValuesAsText("outcome"))
                .doesNotContain("OPERATOR");
        assertThat(api.get("/actuator/env").status()).isEqualTo(401);
    }

    @Test
    void operatorRetrySendsTheStuckStepAgain() {
        String product = api.createProduct("Retried", "1.00", 10);
        Registration fault = loseReservesOf(product);
        String id = stuckCheckout(product);
        fault.cancel(); // the product service is back

        Api.Response retried = api.post("/checkouts/" + id + "/actions/retry", "", Map.of("Authorization", ADMIN));

        assertThat(retried.status()).isEqualTo(202);
        JsonNode ended = api.awaitEnded(id);
        assertThat(ended.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(ended.path("steps").findValuesAsText("detail")).anyMatch(d -> d.startsWith("admin asked to retry"));
        assertThat(api.product(product).path("reserved").asInt()).isEqualTo(1);
    }

    @Test
    void operatorCanForceCompensationOfARunningCheckout() {
        String held = api.createProduct("Held", "1.00", 10);
        String lost = api.createProduct("Lost", "1.00", 10);
        loseReservesOf(lost);
        String id = api.checkout("forced-customer", held + ":2", lost + ":1");
        await().until(() -> api.product(held).path("reserved").asInt() == 2);

        Api.Response forced = api.post("/checkouts/" + id + "/actions/compensate",
                "{\"reason\":\"customer gave up\"}", Map.of("Authorization", ADMIN));

        assertThat(forced.status()).isEqualTo(202);
        JsonNode ended = api.awaitEnded(id);
        assertThat(ended.path("status").asText()).isEqualTo("FAILED");
        assertThat(ended.path("reason").asText()).isEqualTo("Compensation forced by admin: customer gave up");
        assertThat(api.product(held).path("reserved").asInt()).isZero();
        assertThat(api.product(held).path("stock").asInt()).isEqualTo(10);
        assertThat(api.order(ended.path("orderId").asText()).path("status").asText()).isEqualTo("CANCELLED");

        Api.Response again = api.post("/checkouts/" + id + "/actions/compensate", "{\"reason\":\"again\"}",
                Map.of("Authorization", ADMIN));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
        assertThat(api.post("/checkouts/nope/actions/retry", "", Map.of("Authorization", ADMIN)).status())
                .isEqualTo(404);
    }

    @Test
    void aPageOfCheckoutsLoadsTheirLinesInBatches() {
        String product = api.createProduct("Listed", "1.00", 100);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(api.checkout("listed-" + i, product + ":1"));
        }
        ids.forEach(api::awaitEnded);
        CollectionStatistics lines = entityManagerFactory.unwrap(SessionFactory.class).getStatistics()
                .getCollectionStatistics("io.checkout.saga.query.CheckoutView.lines");
        long before = lines.getFetchCount();

        int listed = api.get("/checkouts?status=COMPLETED&size=500").body().path("items").size();

        // One query per view would be a fetch each; batched, a page of up to 64 is one (a saga's event now and
        // then may load a view of its own meanwhile).
        assertThat(listed).isGreaterThanOrEqualTo(ids.size());
        assertThat(lines.getFetchCount() - before).isLessThan(listed / 2);
    }

    @Test
    void aCheckoutAndItsTimelineAreReadWithoutHibernate() {
        String product = api.createProduct("Read", "1.00", 10);
        String id = api.checkout("reader", product + ":1");
        api.awaitEnded(id);
        Statistics statistics = entityManagerFactory.unwrap(SessionFactory.class).getStatistics();
        long checkoutsBefore = statistics.getEntityStatistics(CheckoutView.class.getName()).getLoadCount();
        long stepsBefore = statistics.getEntityStatistics(CheckoutStepView.class.getName()).getLoadCount();

        for (int i = 0; i < 3; i++) {
            JsonNode checkout = api.get("/checkouts/" + id + "?participants=false").body();
            assertThat(checkout.path("status").asText()).isEqualTo("COMPLETED");
            assertThat(checkout.path("lines").path(0).path("productId").asText()).isEqualTo(product);
            assertThat(Api.timeline(checkout)).startsWith("CHECKOUT STARTED").contains("CHECKOUT COMPLETED");
        }

        // Every answer with a checkout (the POST's 202 too) reads it and its timeline: two statements, not an entity
        // load, a fetch of its lines and a query, each with Hibernate's session and persistence context around it.
        assertThat(statistics.getEntityStatistics(CheckoutView.class.getName()).getLoadCount())
                .isEqualTo(checkoutsBefore);
        assertThat(statistics.getEntityStatistics(CheckoutStepView.class.getName()).getLoadCount())
                .isEqualTo(stepsBefore);
    }

    @Test
    void inOneJvmOnlyTheSagaFollowsTheEventStore() {
        // The read models fed by another service's events commit with the command that published them; the saga
        // tracks the store (its own segment and token). The orchestrator and order profiles make the two tracking.
        EventProcessingConfiguration processing = axonConfiguration.eventProcessingConfiguration();
        assertThat(processing.eventProcessor("checkout-timeline")).containsInstanceOf(SubscribingEventProcessor.class);
        assertThat(processing.eventProcessor("order-catalogue-replica"))
                .containsInstanceOf(SubscribingEventProcessor.class);
        assertThat(processing.eventProcessor("CheckoutSagaProcessor")).containsInstanceOf(TrackingEventProcessor.class);
    }

    @Test
    void aggregatesFindTheirTargetWithTheResolverThatRemembersEachCommandType() {
        // What every AggregateConfigurer asks Axon's configuration for (Axon's own resolver is its default).
        CommandTargetResolver resolver = axonConfiguration.getComponent(CommandTargetResolver.class,
                () -> AnnotationCommandTargetResolver.builder().build());
        assertThat(resolver.getClass().getSimpleName()).isEqualTo("CachingCommandTargetResolver");
    }

    @Test
    void prometheusShowsCheckoutAndStepMetrics() {
        String product = api.createProduct("Measured", "1.00", 1);
        api.awaitEnded(api.checkout("m1", product + ":1"));
        api.awaitEnded(api.checkout("m2", product + ":1"));

        String metrics = api.get("/actuator/prometheus").text();

        assertThat(metrics).contains("checkouts_started_total", "checkouts_completed_total",
                "checkouts_failed_total{cause=\"REJECTED\",step=\"RESERVE_STOCK\"}",
                "checkouts_compensations_total{cause=\"REJECTED\",step=\"RESERVE_STOCK\"}",
                "checkouts_duration_seconds_bucket{outcome=\"COMPLETED\"",
                "commands_latency_seconds_bucket{command=\"ReserveStockCommand\"",
                "checkouts_running", "checkouts_stuck");
        assertThat(metrics).contains("CheckoutSagaProcessor_successCounter_total"); // Axon's own, axon-micrometer
        // A processor is metered for the events it handles, not for the others it is handed (HandledEventsMonitor).
        assertThat(metrics).containsPattern("order_view_successCounter_total [1-9]")
                .contains("order_view_ignoredCounter_total 0.0");
        // Capacity gauges, of processors and of the command bus, under Axon's names: our monitors replace Axon's
        // for these components, so without CapacityWindowMonitor in them there would be none (AxonMonitorsTest).
        assertThat(metrics).containsPattern("(?m)^order_view_capacity [0-9.E-]+$")
                .containsPattern("(?m)^CheckoutSagaProcessor_capacity [0-9.E-]+$")
                .containsPattern("(?m)^commandBus_capacity [0-9.E-]+$");
        // Each request is timed once, by Spring MVC; Spring Security's observations of its filter chain, each filter
        // and each authorization (SecurityConfig#securityObservations) are off, and its filters are not wrapped
        // for them: the wrapping cost as much as the observations.
        assertThat(metrics).contains("http_server_requests_seconds_count{")
                .doesNotContain("spring_security_");
        assertThat(ReflectionTestUtils.getField(securityFilterChain, "filterChainDecorator"))
                .isNotInstanceOf(ObservationFilterChainDecorator.class);
    }

    @Test
    void healthShowsTheEventProcessors() {
        JsonNode health = api.get("/actuator/health").body();

        assertThat(health.path("status").asText()).isEqualTo("UP");
        JsonNode processors = health.path("components").path("eventProcessors").path("details");
        assertThat(processors.path("CheckoutSagaProcessor").path("running").asBoolean()).isTrue();
        assertThat(processors.path("checkout-view").path("type").asText()).isEqualTo("subscribing");
    }

    @Test
    void openApiDocumentListsEveryEndpoint() {
        JsonNode paths = api.get("/v3/api-docs").body().path("paths");

        assertThat(paths.has("/checkouts")).isTrue();
        assertThat(paths.has("/checkouts/{id}")).isTrue();
        assertThat(paths.has("/checkouts/stats")).isTrue();
        assertThat(paths.has("/checkouts/{id}/actions/retry")).isTrue();
        assertThat(paths.has("/checkouts/{id}/actions/compensate")).isTrue();
        assertThat(paths.has("/products")).isTrue();
        assertThat(paths.has("/products/{id}")).isTrue();
        assertThat(paths.has("/products/{id}/restock")).isTrue();
        assertThat(paths.has("/orders/{id}")).isTrue();
    }

    private static JsonNode find(JsonNode page, String id) {
        return StreamSupport.stream(page.path("items").spliterator(), false)
                .filter(c -> c.path("id").asText().equals(id)).findFirst().orElseThrow();
    }
}
