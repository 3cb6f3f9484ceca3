package dev.suite.workflow.graph;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** An edge from an output handle of {@code source} to an input handle of {@code target}. */
@RegisterForReflection
public record GraphEdge(String id, String source, String sourceHandle, String target, String targetHandle) {
}
