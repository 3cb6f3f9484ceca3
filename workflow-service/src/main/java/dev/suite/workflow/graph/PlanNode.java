package dev.suite.workflow.graph;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.workflow.nodes.Handle;
import dev.suite.workflow.nodes.NodeType;

import java.util.List;
import java.util.Map;

/** A node of a checked graph: its type, handles, edges and the engine's policies for it. */
public record PlanNode(
        int index,
        GraphNode node,
        NodeType type,
        JsonNode config,
        Map<String, Handle> inputs,
        Map<String, Handle> outputs,
        List<PlanEdge> in,
        List<PlanEdge> out,
        Long timeoutMs,
        int retries,
        long retryBackoffMs,
        String onError) {

    public String id() {
        return node.id();
    }
}
