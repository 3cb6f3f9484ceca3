package dev.suite.commons.problem;

import java.time.Duration;
import java.util.List;

/**
 * Thrown by services to answer a problem response. The static factories name the situations the
 * suite distinguishes; the mapper turns them into {@code application/problem+json}.
 */
public class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final List<FieldError> errors;
    private final Duration retryAfter;
    private final Integer upstreamStatus;

    public ProblemException(ProblemType type, String detail, List<FieldError> errors, Duration retryAfter,
            Integer upstreamStatus) {
        super(detail, null, false, false);
        this.type = type;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.retryAfter = retryAfter;
        this.upstreamStatus = upstreamStatus;
    }

    public static ProblemException validation(List<FieldError> errors) {
        return new ProblemException(ProblemType.VALIDATION, "The request has invalid fields.", errors, null, null);
    }

    public static ProblemException invalidField(String field, String message) {
        return validation(List.of(new FieldError(field, message)));
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(ProblemType.NOT_FOUND, what + " not found.", null, null, null);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(ProblemType.CONFLICT, detail, null, null, null);
    }

    public static ProblemException tooManyRequests(String detail, Duration retryAfter) {
        return new ProblemException(ProblemType.TOO_MANY_REQUESTS, detail, null, retryAfter, null);
    }

    public static ProblemException unavailable(String detail, Duration retryAfter) {
        return new ProblemException(ProblemType.UNAVAILABLE, detail, null, retryAfter, null);
    }

    public static ProblemException upstream(String detail, Integer upstreamStatus) {
        return new ProblemException(ProblemType.UPSTREAM, detail, null, null, upstreamStatus);
    }

    public static ProblemException upstreamTimeout(String detail) {
        return new ProblemException(ProblemType.UPSTREAM_TIMEOUT, detail, null, null, null);
    }

    public ProblemType type() {
        return type;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    public Integer upstreamStatus() {
        return upstreamStatus;
    }
}
