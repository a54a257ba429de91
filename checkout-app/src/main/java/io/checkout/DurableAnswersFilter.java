package io.checkout;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.checkout.support.web.DurableAnswers;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Holds every HTTP answer until the H2 commits it may reflect are on the disk ({@link H2GroupCommit}): the body is
 * kept back (so neither it nor the status goes out) until the next group write has synced, then sent. If the file
 * cannot be written the client gets 503 instead of an answer that a crash could take back. Outermost of all
 * filters, so that no other one sends anything first. A stream of server-sent events is left alone: its sender waits
 * for each event to be durable ({@link DurableAnswers}).
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class DurableAnswersFilter extends OncePerRequestFilter {

    private final H2GroupCommit groupCommit;
    private final ObjectMapper json;

    DurableAnswersFilter(H2GroupCommit groupCommit, ObjectMapper json) {
        this.groupCommit = groupCommit;
        this.json = json;
    }

    /** A read that asks for a stream of events: a command (POST) with that {@code Accept} is held as any other. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return HttpMethod.GET.matches(request.getMethod()) && DurableAnswers.asksForEvents(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!groupCommit.isActive()) {
            chain.doFilter(request, response);
            return;
        }
        ContentCachingResponseWrapper held = new ContentCachingResponseWrapper(response);
        chain.doFilter(request, held);
        try {
            groupCommit.awaitDurable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable(response, "Interrupted while the database was being written");
            return;
        } catch (TimeoutException | IllegalStateException e) {
            unavailable(response, "The database could not be written: " + e.getMessage()
                    + ". The request may or may not have taken effect");
            return;
        }
        held.copyBodyToResponse();
    }

    private void unavailable(HttpServletResponse response, String detail) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.reset();
        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(),
                ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail));
    }
}
