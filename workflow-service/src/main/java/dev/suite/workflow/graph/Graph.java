package dev.suite.workflow.graph;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/**
 * A node graph as front ends send it: nodes, the edges between their handles, and the interface —
 * the inputs a run takes and the outputs it gives ({@code output_mappings} names a node handle
 * for each output; {@code interface_output} nodes are the other way to give one).
 */
@RegisterForReflection
public record Graph(
        List<GraphNode> nodes,
        List<GraphEdge> edges,
        List<InterfaceInput> interfaceInputs,
        List<InterfaceOutput> interfaceOutputs,
        Map<String, OutputMapping> outputMappings) {

    public List<GraphNode> nodes() {
        return nodes == null ? List.of() : nodes;
    }

    public List<GraphEdge> edges() {
        return edges == null ? List.of() : edges;
    }

    public List<InterfaceInput> interfaceInputs() {
        return interfaceInputs == null ? List.of() : interfaceInputs;
    }

    public List<InterfaceOutput> interfaceOutputs() {
        return interfaceOutputs == null ? List.of() : interfaceOutputs;
    }

    public Map<String, OutputMapping> outputMappings() {
        return outputMappings == null ? Map.of() : outputMappings;
    }
}
