package dev.suite.commons.problem;

/** One invalid field of a request: the JSON field name (snake_case, dotted for nesting) and why. */
public record FieldError(String field, String message) {
}
