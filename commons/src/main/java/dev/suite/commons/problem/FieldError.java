package dev.suite.commons.problem;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One invalid field of a request: the JSON field name (snake_case, dotted for nesting) and why. */
@RegisterForReflection
public record FieldError(String field, String message) {
}
