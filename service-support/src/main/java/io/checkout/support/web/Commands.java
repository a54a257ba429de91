package io.checkout.support.web;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * Sends a command on behalf of an HTTP request and waits for its result. A command that fails throws its own
 * exception (which the error advice maps to a status); one that takes too long gives 503, so the client knows to
 * retry rather than waiting on a connection.
 */
public final class Commands {

    /** How long a request waits for its command. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Commands() {
    }

    public static <R> R sendAndWait(CommandGateway gateway, Object command) {
        try {
            return gateway.<R>send(command).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw unavailable("The request was not handled within " + TIMEOUT.toSeconds() + " s; it may still "
                    + "take effect. Retrying is safe where the request is idempotent.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("The request was interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause);
        }
    }

    private static ErrorResponseException unavailable(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail);
        problem.setTitle("Service unavailable");
        return new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, null);
    }
}
