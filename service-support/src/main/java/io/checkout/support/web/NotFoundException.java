package io.checkout.support.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A resource the client named does not exist: 404 problem+json. */
public class NotFoundException extends ErrorResponseException {

    public NotFoundException(String kind, String id) {
        super(HttpStatus.NOT_FOUND, problem(kind, id), null);
    }

    private static ProblemDetail problem(String kind, String id) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "No " + kind + " with id '" + id + "'");
        problem.setTitle(Character.toUpperCase(kind.charAt(0)) + kind.substring(1) + " not found");
        return problem;
    }
}
