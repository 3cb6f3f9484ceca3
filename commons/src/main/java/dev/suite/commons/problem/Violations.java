package dev.suite.commons.problem;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Bean Validation violations as the per-field errors of a problem response. */
public final class Violations {

    private Violations() {
    }

    public static List<FieldError> fieldErrors(Collection<? extends ConstraintViolation<?>> violations) {
        List<FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> violation : violations) {
            errors.add(new FieldError(fieldOf(violation.getPropertyPath()), violation.getMessage()));
        }
        errors.sort(Comparator.comparing(FieldError::field).thenComparing(FieldError::message));
        return errors;
    }

    /** {@code create.body.apiUrl} → {@code api_url}: drop the method and parameter, snake_case the rest. */
    static String fieldOf(Path path) {
        StringBuilder out = new StringBuilder();
        String parameter = null;
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.METHOD) {
                continue;
            }
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
                continue;
            }
            if (node.getName() == null || node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append('.');
            }
            out.append(JsonNames.snakeCase(node.getName()));
            if (node.getIndex() != null) {
                out.append('[').append(node.getIndex()).append(']');
            }
        }
        if (out.isEmpty()) {
            return parameter == null ? "body" : JsonNames.snakeCase(parameter);
        }
        return out.toString();
    }
}
