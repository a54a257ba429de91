package io.checkout.support.axon;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.monitoring.MessageMonitor;

/**
 * Times every command from the moment the bus takes it to the moment its handling ends (queueing included), as
 * {@code commands.latency} tagged by command type and outcome, with a histogram for percentiles. A saga step is
 * one command type (ReserveStockCommand is the reserve step), so this is the per-step latency.
 */
class CommandLatencyMonitor implements MessageMonitor<CommandMessage<?>> {

    private final MeterRegistry meters;

    CommandLatencyMonitor(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public MonitorCallback onMessageIngested(CommandMessage<?> message) {
        Timer.Sample sample = Timer.start(meters);
        String command = message.getPayloadType().getSimpleName();
        return new MonitorCallback() {
            @Override
            public void reportSuccess() {
                stop("success");
            }

            @Override
            public void reportFailure(Throwable cause) {
                stop("failure");
            }

            @Override
            public void reportIgnored() {
                stop("ignored");
            }

            private void stop(String outcome) {
                sample.stop(Timer.builder("commands.latency")
                        .description("From the command bus taking a command to the end of its handling")
                        .tag("command", command)
                        .tag("outcome", outcome)
                        .publishPercentileHistogram()
                        .register(meters));
            }
        };
    }
}
