package dev.suite.workflow.nodes;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An input or output of a node type. A {@code conditional} output is produced only on some runs
 * (a condition's {@code true}); edges from it carry nothing when it is not, and the nodes they
 * feed are skipped.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Handle(String name, HandleType type, Boolean required, Boolean conditional, String description) {

    public static Handle in(String name, HandleType type, boolean required, String description) {
        return new Handle(name, type, required, null, description);
    }

    public static Handle out(String name, HandleType type, String description) {
        return new Handle(name, type, null, null, description);
    }

    public static Handle conditionalOut(String name, HandleType type, String description) {
        return new Handle(name, type, null, true, description);
    }

    public boolean isRequired() {
        return Boolean.TRUE.equals(required);
    }

    public boolean isConditional() {
        return Boolean.TRUE.equals(conditional);
    }
}
