package dev.suite.workflow.graph;

/** An edge of a checked graph, by node index; {@code stream} when it carries a streaming output. */
public record PlanEdge(int index, int source, String sourceHandle, int target, String targetHandle, boolean stream) {
}
