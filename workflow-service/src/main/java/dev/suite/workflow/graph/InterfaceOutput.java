package dev.suite.workflow.graph;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** An output a run of the graph gives. */
@RegisterForReflection
public record InterfaceOutput(String name, String type, String description) {
}
