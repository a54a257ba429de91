package io.checkout.support.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * What an answer sent outside its request's own response (a server-sent event) waits for before it goes out:
 * everything committed before the call is as durable as an HTTP answer must be. The all-in-one H2 mode provides one
 * (its group commit: what is committed is on the disk only after the next round); where a commit is durable when it
 * returns (PostgreSQL, H2 with every commit written at once) there is nothing to wait for ({@link #IMMEDIATE}).
 */
public interface DurableAnswers {

    /** For databases whose commits are durable when they return. */
    DurableAnswers IMMEDIATE = () -> {
    };

    /**
     * Returns once every transaction committed before this call is durable.
     *
     * @throws TimeoutException      if that did not happen in time (the disk is stuck)
     * @throws IllegalStateException if it could not be written
     */
    void awaitDurable() throws InterruptedException, TimeoutException;

    /**
     * Whether the request asks for a stream of server-sent events by name ({@code Accept: text/event-stream}, not a
     * wildcard): such an answer is sent piece by piece, and whoever sends each piece waits for it to be durable.
     */
    static boolean asksForEvents(HttpServletRequest request) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if (accept == null) {
            return false;
        }
        try {
            return MediaType.parseMediaTypes(accept).stream()
                    .anyMatch(type -> type.isConcrete() && MediaType.TEXT_EVENT_STREAM.equalsTypeAndSubtype(type));
        } catch (InvalidMediaTypeException malformed) {
            return false;
        }
    }
}
