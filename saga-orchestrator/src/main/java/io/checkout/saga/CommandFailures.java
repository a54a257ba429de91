package io.checkout.saga;

import io.checkout.shared.checkout.FailureKind;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.axonframework.commandhandling.NoHandlerForCommandException;
import org.axonframework.common.AxonNonTransientException;
import org.axonframework.common.AxonTransientException;
import org.axonframework.messaging.RemoteHandlingException;
import org.axonframework.messaging.RemoteNonTransientHandlingException;
import org.axonframework.modelling.command.AggregateNotFoundException;

/** Sorts the failures of the saga's commands into what the saga can do about them. */
final class CommandFailures {

    private CommandFailures() {
    }

    static FailureKind classify(Throwable failure) {
        Throwable cause = unwrap(failure);
        Optional<RemoteFailure> remote = remote(cause);
        if (remote.isPresent()) {
            return remote.get().type().map(CommandFailures::classify).orElse(FailureKind.TRANSIENT);
        }
        return classify(cause.getClass());
    }

    private static FailureKind classify(Class<?> type) {
        if (AggregateNotFoundException.class.isAssignableFrom(type)) {
            return FailureKind.NOT_FOUND;
        }
        if (AxonTransientException.class.isAssignableFrom(type) || TimeoutException.class.isAssignableFrom(type)
                // No process serves the command right now (the multi-process mode, while a service restarts).
                || NoHandlerForCommandException.class.isAssignableFrom(type)) {
            return FailureKind.TRANSIENT;
        }
        if (IllegalArgumentException.class.isAssignableFrom(type) || IllegalStateException.class.isAssignableFrom(type)
                || AxonNonTransientException.class.isAssignableFrom(type)) {
            return FailureKind.PERMANENT;
        }
        // Anything else (a database error, a lost connection, an injected fault) may pass: try again.
        return FailureKind.TRANSIENT;
    }

    static String describe(Throwable failure) {
        Throwable cause = unwrap(failure);
        Optional<RemoteFailure> remote = remote(cause);
        if (remote.isPresent()) {
            return remote.get().message();
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }

    /** What another process threw: its class name and message, from Axon's description of it. */
    private record RemoteFailure(String className, String message) {

        /** Axon describes each exception as "class name: message". */
        static RemoteFailure of(String description) {
            int colon = description.indexOf(": ");
            return colon < 0 ? new RemoteFailure(description, description)
                    : new RemoteFailure(description.substring(0, colon), description.substring(colon + 2));
        }

        /** The type, when this JVM knows it. */
        Optional<Class<?>> type() {
            try {
                return Optional.of(Class.forName(className, false, CommandFailures.class.getClassLoader()));
            } catch (ClassNotFoundException | LinkageError e) {
                return Optional.empty();
            }
        }
    }

    /**
     * A failure in another process (the distributed command bus) arrives as descriptions of the exception thrown
     * there and its causes, in a {@link RemoteHandlingException}, or a {@link RemoteNonTransientHandlingException}
     * when it was an Axon non-transient one, inside a {@code CommandExecutionException}.
     */
    private static Optional<RemoteFailure> remote(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            List<String> descriptions = t instanceof RemoteHandlingException r ? r.getExceptionDescriptions()
                    : t instanceof RemoteNonTransientHandlingException r ? r.getExceptionDescriptions() : List.of();
            if (!descriptions.isEmpty()) {
                return Optional.of(RemoteFailure.of(descriptions.get(0)));
            }
        }
        return Optional.empty();
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
