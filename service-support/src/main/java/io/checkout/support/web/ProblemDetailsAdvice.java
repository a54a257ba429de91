package io.checkout.support.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import io.checkout.support.fault.InjectedFaultException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error into RFC 9457 problem+json. Bad input gets a 4xx that says which field is wrong and why;
 * anything unexpected gets a bare 500 (logged here, never shown to the client).
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        List<Map<String, String>> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(e -> Map.of("field", e.getField(), "message", String.valueOf(e.getDefaultMessage())))
                .toList();
        String detail = errors.stream()
                .map(e -> e.get("field") + " " + e.get("message"))
                .sorted()
                .collect(Collectors.joining("; "));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Invalid request");
        problem.setProperty("errors", errors);
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        if (hasCause(ex, RequestBodyLimitFilter.BodyTooLargeException.class)) {
            return problem(HttpStatus.PAYLOAD_TOO_LARGE, "Request body too large",
                    "The request body is larger than " + RequestBodyLimitFilter.MAX_BYTES + " bytes");
        }
        return problem(HttpStatus.BAD_REQUEST, "Unreadable request body", describe(ex.getCause()));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Object> illegalArgument(IllegalArgumentException ex) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", ex.getMessage());
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ResponseEntity<Object> aggregateNotFound(AggregateNotFoundException ex) {
        return problem(HttpStatus.NOT_FOUND, "Not found", "No resource with id '" + ex.getAggregateIdentifier() + "'");
    }

    /** A command broke a business rule (an approved order cannot be cancelled, say): the guard's message says which. */
    @ExceptionHandler(IllegalStateException.class)
    ResponseEntity<Object> conflict(IllegalStateException ex) {
        return problem(HttpStatus.CONFLICT, "Conflict", ex.getMessage());
    }

    /** The database (or a connection to it) is not there right now: the client may try again. */
    @ExceptionHandler({TransientDataAccessException.class, DataAccessResourceFailureException.class,
            CannotCreateTransactionException.class, InjectedFaultException.class})
    ResponseEntity<Object> unavailable(Exception ex) {
        log.warn("Request failed for want of a resource: {}", ex.getMessage());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable",
                "A resource this request needs is not available right now; nothing was done. Try again.");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception ex) {
        log.error("Unexpected error while handling a request", ex);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "The request could not be handled; it has been logged");
    }

    static ResponseEntity<Object> problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return ResponseEntity.status(status).body(problem);
    }

    /** Says in one sentence what is wrong with a body Jackson could not read, naming the field where known. */
    private static String describe(Throwable cause) {
        if (cause == null) {
            return "The request body is missing or is not JSON";
        }
        if (cause instanceof UnrecognizedPropertyException e) {
            return "Unknown field '" + path(e) + "'; known fields are " + e.getKnownPropertyIds();
        }
        if (cause instanceof ValueInstantiationException e && e.getCause() != null) {
            return "Invalid value for '" + path(e) + "': " + e.getCause().getMessage();
        }
        if (cause instanceof InvalidFormatException e) {
            return "Field '" + path(e) + "' must be " + article(e.getTargetType()) + ", not '" + e.getValue() + "'";
        }
        if (cause instanceof MismatchedInputException e && e.getTargetType() != null) {
            return "Field '" + path(e) + "' must be " + article(e.getTargetType());
        }
        if (cause instanceof JsonMappingException e && e.getCause() instanceof InputCoercionException) {
            return "Field '" + path(e) + "' is out of range";
        }
        if (cause instanceof InputCoercionException) {
            return "A number in the request body is out of range";
        }
        if (cause instanceof JsonParseException e) {
            return "Malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage();
        }
        return "The request body is not valid JSON for this endpoint";
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "(body)" : path.toString();
    }

    private static String article(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "a number";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        return "an object";
    }

    private static boolean hasCause(Throwable ex, Class<? extends Throwable> type) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
