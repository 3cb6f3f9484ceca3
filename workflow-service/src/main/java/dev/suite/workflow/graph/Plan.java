package dev.suite.workflow.graph;

import java.util.List;
import java.util.Map;

/** A graph that passed validation, ready to run: nodes and edges by index, in the order the graph lists them. */
public record Plan(Graph graph, List<PlanNode> nodes, List<PlanEdge> edges, Map<String, Integer> indexById) {

    public PlanNode node(String id) {
        Integer index = indexById.get(id);
        return index == null ? null : nodes.get(index);
    }
}
