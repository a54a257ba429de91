package io.checkout.saga;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.checkout.saga.CheckoutSaga.Phase;
import io.checkout.saga.CheckoutSaga.StepDeadline;
import io.checkout.shared.checkout.CheckoutCompensationStartedEvent;
import io.checkout.shared.checkout.CheckoutId;
import io.checkout.shared.checkout.CheckoutStep;
import io.checkout.shared.checkout.CompensationCause;
import io.checkout.shared.order.CancelOrderCommand;
import io.checkout.shared.order.OrderId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.SimpleEventBus;
import org.axonframework.eventhandling.gateway.DefaultEventGateway;
import org.axonframework.modelling.saga.SagaScopeDescriptor;
import org.axonframework.test.deadline.StubDeadlineManager;
import org.axonframework.test.utils.RecordingCommandBus;
import org.junit.jupiter.api.Test;

/**
 * A saga stored before step deadlines were armed one at a time (every step scheduled its own, and only the latest
 * counted) still times out on the deadline of its current step, and then keeps its deadlines the new way.
 */
class CheckoutSagaUpgradeTest {

    private static final CheckoutSagaProperties SETTINGS = new CheckoutSagaProperties(Duration.ofSeconds(30), 3,
            Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(30), 0);

    /** As the saga serializer stored it then: no due time, no armed deadline. */
    private static final String STORED = """
            {"checkoutId":{"value":"k-1"},"orderId":{"value":"o-1"},"customerId":{"value":"c-1"},
             "phase":"RESERVING_STOCK","lines":{"p-1":{"quantity":2,"state":"PENDING","attempt":1}},
             "orderAttempt":1,"orderCancelled":false,"stepSequence":2}""";

    private final RecordingCommandBus commandBus = new RecordingCommandBus();
    private final SimpleEventBus eventBus = SimpleEventBus.builder().build();
    private final List<EventMessage<?>> published = new ArrayList<>();
    /** Outside a saga's scope here: the scope it would describe is given. */
    private final StubDeadlineManager deadlines = new StubDeadlineManager() {
        @Override
        public String schedule(Duration after, String name, Object payload) {
            return schedule(after, name, payload, new SagaScopeDescriptor(CheckoutSaga.class.getName(), "k-1"));
        }
    };

    @Test
    void aSagaStoredBeforeTheChangeTimesOutOnItsCurrentStepsDeadline() throws Exception {
        CheckoutSaga saga = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build()
                .readValue(STORED, CheckoutSaga.class);
        eventBus.subscribe(published::addAll);

        fire(saga, new StepDeadline(Phase.CREATING_ORDER, 0, 1)); // an earlier step's: it no longer counts
        assertThat(published).isEmpty();
        assertThat(commandBus.getDispatchedCommands()).isEmpty();

        fire(saga, new StepDeadline(Phase.RESERVING_STOCK, 0, 2));
        String reason = "RESERVE_STOCK timed out after 30000 ms (lines: p-1=PENDING)";
        assertThat(published).extracting(e -> (Object) e.getPayload()).containsExactly(
                new CheckoutCompensationStartedEvent(new CheckoutId("k-1"),
                        CheckoutStep.RESERVE_STOCK, CompensationCause.TIMED_OUT, reason));
        assertThat(commandBus.getDispatchedCommands()).extracting(c -> (Object) c.getPayload())
                .containsExactly(new CancelOrderCommand(new OrderId("o-1"), reason));
        // The first round of compensation is armed the new way: one deadline, 1 s on.
        assertThat(deadlines.getScheduledDeadlines()).singleElement()
                .satisfies(d -> assertThat(d.deadlineMessage().getPayload())
                        .isEqualTo(new StepDeadline(Phase.COMPENSATING, 1, 3)));
    }

    private void fire(CheckoutSaga saga, StepDeadline deadline) {
        saga.stepDeadline(deadline, DefaultCommandGateway.builder().commandBus(commandBus).build(),
                DefaultEventGateway.builder().eventBus(eventBus).build(), deadlines, SETTINGS);
    }
}
