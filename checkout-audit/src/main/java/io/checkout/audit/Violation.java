package io.checkout.audit;

/** One broken invariant, with the ids involved. */
public record Violation(String invariant, String subject, String detail) {

    @Override
    public String toString() {
        return "[" + invariant + "] " + subject + ": " + detail;
    }
}
