package io.checkout.saga;

import static org.assertj.core.api.Assertions.assertThat;

import io.checkout.shared.checkout.FailureKind;
import java.util.concurrent.CompletionException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.NoHandlerForCommandException;
import org.axonframework.messaging.RemoteExceptionDescription;
import org.axonframework.messaging.RemoteHandlingException;
import org.axonframework.messaging.RemoteNonTransientHandlingException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.junit.jupiter.api.Test;

/** Failures from this JVM and from another process (the distributed command bus) sort the same way. */
class CommandFailuresTest {

    @Test
    void sortsLocalFailures() {
        assertThat(CommandFailures.classify(new CompletionException(new AggregateNotFoundException("p", "gone"))))
                .isEqualTo(FailureKind.NOT_FOUND);
        assertThat(CommandFailures.classify(new IllegalStateException("cancelled"))).isEqualTo(FailureKind.PERMANENT);
        assertThat(CommandFailures.classify(new RuntimeException("db down"))).isEqualTo(FailureKind.TRANSIENT);
        assertThat(CommandFailures.classify(new NoHandlerForCommandException("no one serves it now")))
                .isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void sortsFailuresOfAnotherProcessByTheTypeThrownThere() {
        assertThat(CommandFailures.classify(remote(new AggregateNotFoundException("p", "The aggregate was not found"))))
                .isEqualTo(FailureKind.NOT_FOUND);
        assertThat(CommandFailures.classify(remote(new IllegalArgumentException("A reservation must hold a unit"))))
                .isEqualTo(FailureKind.PERMANENT);
        assertThat(CommandFailures.classify(remote(new RuntimeException("connection reset"))))
                .isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void describesAFailureOfAnotherProcessWithItsOwnMessage() {
        assertThat(CommandFailures.describe(remote(new IllegalStateException("An approved order cannot be cancelled"))))
                .isEqualTo("An approved order cannot be cancelled");
    }

    @Test
    void anUnknownRemoteTypeMayPass() {
        RemoteHandlingException unknown = new RemoteHandlingException(new RemoteExceptionDescription(
                java.util.List.of("com.example.Nowhere: lost")));
        assertThat(CommandFailures.classify(new CommandExecutionException("remote", unknown)))
                .isEqualTo(FailureKind.TRANSIENT);
    }

    /** As the distributed command bus hands it to the sender (Axon's ReplyMessage). */
    private static Throwable remote(Throwable thrownThere) {
        RemoteExceptionDescription description = RemoteExceptionDescription.describing(thrownThere);
        Throwable cause = description.isPersistent() ? new RemoteNonTransientHandlingException(description)
                : new RemoteHandlingException(description);
        return new CompletionException(new CommandExecutionException("The remote handler threw an exception", cause));
    }
}
