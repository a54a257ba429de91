package io.checkout.saga;

import io.checkout.shared.checkout.FailureKind;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.axonframework.commandhandling.NoHandlerForCommandException;
import org.axonframework.common.AxonNonTransientException;
import org.axonframework.common.AxonTransientException;
import org.axonframework.modelling.command.AggregateNotFoundException;

/** Sorts the failures of the saga's commands into what the saga can do about them. */
final class CommandFailures {

    private CommandFailures() {
    }

    static FailureKind classify(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof AggregateNotFoundException) {
            return FailureKind.NOT_FOUND;
        }
        if (cause instanceof AxonTransientException || cause instanceof TimeoutException) {
            return FailureKind.TRANSIENT;
        }
        if (cause instanceof IllegalArgumentException || cause instanceof IllegalStateException
                || cause instanceof NoHandlerForCommandException || cause instanceof AxonNonTransientException) {
            return FailureKind.PERMANENT;
        }
        // Anything else (a database error, a lost connection, an injected fault) may pass: try again.
        return FailureKind.TRANSIENT;
    }

    static String describe(Throwable failure) {
        Throwable cause = unwrap(failure);
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
