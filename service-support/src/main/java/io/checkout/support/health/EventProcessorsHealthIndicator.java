package io.checkout.support.health;

import java.util.LinkedHashMap;
import java.util.Map;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} shows each Axon event processor: running or not, and for a streaming one each segment's
 * state. The service is DOWN when a processor has stopped or a segment is in error: its read model or its sagas
 * are then falling behind.
 */
@Component("eventProcessors")
class EventProcessorsHealthIndicator extends AbstractHealthIndicator {

    private final EventProcessingConfiguration processing;

    EventProcessorsHealthIndicator(EventProcessingConfiguration processing) {
        this.processing = processing;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean healthy = true;
        for (Map.Entry<String, EventProcessor> entry : processing.eventProcessors().entrySet()) {
            EventProcessor processor = entry.getValue();
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("running", processor.isRunning());
            detail.put("error", processor.isError());
            if (processor instanceof StreamingEventProcessor streaming) {
                detail.put("type", "streaming");
                streaming.processingStatus().forEach((segment, status) -> detail.put("segment-" + segment,
                        Map.of("caughtUp", status.isCaughtUp(), "replaying", status.isReplaying(),
                                "error", status.isErrorState())));
                healthy &= processor.isRunning() && !processor.isError()
                        && streaming.processingStatus().values().stream().noneMatch(s -> s.isErrorState());
            } else {
                detail.put("type", "subscribing");
                healthy &= processor.isRunning();
            }
            builder.withDetail(entry.getKey(), detail);
        }
        builder.status(healthy ? "UP" : "DOWN");
    }
}
