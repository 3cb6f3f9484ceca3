package dev.suite.workflow.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.suite.commons.problem.FieldError;
import dev.suite.commons.problem.ProblemException;
import dev.suite.workflow.WorkflowSettings;
import dev.suite.workflow.nodes.Handle;
import dev.suite.workflow.nodes.HandleType;
import dev.suite.workflow.nodes.NodeCatalog;
import dev.suite.workflow.nodes.NodeType;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a graph against the node catalog, on save and again on run (the catalog may have changed
 * since), and compiles it into a {@link Plan}. Every problem is reported at once, each on the field
 * of the node or edge at fault: unknown types, bad configs, edges between missing nodes or
 * handles, incompatible handle types, a required input nothing feeds, and cycles (naming their
 * nodes).
 */
@ApplicationScoped
public class GraphValidator {

    /** Every node has this output; it carries the error when the node's on_error is error_branch. */
    public static final String ERROR_HANDLE = "error";
    private static final Handle ERROR_OUTPUT = Handle.conditionalOut(ERROR_HANDLE, HandleType.OBJECT,
            "The node's error ({message, attempts}) when it failed with on_error: error_branch");
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    private final NodeCatalog catalog;
    private final WorkflowSettings settings;

    public GraphValidator(NodeCatalog catalog, WorkflowSettings settings) {
        this.catalog = catalog;
        this.settings = settings;
    }

    /** The plan of a valid graph; a 400 listing every problem otherwise. */
    public Plan compile(Graph graph) {
        List<FieldError> errors = new ArrayList<>();
        Plan plan = compile(graph, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return plan;
    }

    private Plan compile(Graph graph, List<FieldError> errors) {
        List<GraphNode> nodes = graph.nodes();
        if (nodes.isEmpty()) {
            errors.add(new FieldError("nodes", "a graph needs at least one node"));
            return null;
        }
        if (nodes.size() > settings.maxNodes()) {
            errors.add(new FieldError("nodes", "at most " + settings.maxNodes() + " nodes per graph"));
            return null;
        }
        Map<String, Integer> indexById = new HashMap<>();
        List<NodeType> types = new ArrayList<>();
        List<Map<String, Handle>> inputs = new ArrayList<>();
        List<Map<String, Handle>> outputs = new ArrayList<>();
        for (int index = 0; index < nodes.size(); index++) {
            int i = index;
            GraphNode node = nodes.get(i);
            String at = "nodes[" + i + "]";
            String id = node == null ? null : node.id();
            NodeType type = node == null ? null : catalog.find(node.type());
            types.add(type);
            inputs.add(new LinkedHashMap<>());
            outputs.add(new LinkedHashMap<>());
            if (node == null) {
                errors.add(new FieldError(at, "a node cannot be null"));
                continue;
            }
            if (id == null || !NODE_ID.matcher(id).matches()) {
                errors.add(new FieldError(at + ".id", "must be 1 to 128 letters, digits or _ . : -"));
            } else if (indexById.putIfAbsent(id, i) != null) {
                errors.add(new FieldError(at + ".id", "node " + id + ": the id is used twice"));
            }
            String name = "node " + id + ": ";
            if (type == null) {
                errors.add(new FieldError(at + ".type", name + (node.type() == null ? "type is required"
                        : "unknown type '" + node.type() + "' (see GET /api/nodes)")));
                continue;
            }
            JsonNode config = configOf(node);
            List<String> problems = new ArrayList<>(type.spec().config().check(config));
            if (problems.isEmpty()) {
                problems.addAll(type.checkConfig(config));
            }
            problems.forEach(p -> errors.add(new FieldError(at + ".config", name + p)));
            type.spec().inputs().forEach(h -> inputs.get(i).put(h.name(), h));
            if (problems.isEmpty()) {
                type.outputs(config).forEach(h -> outputs.get(i).put(h.name(), h));
            } else {
                type.spec().outputs().forEach(h -> outputs.get(i).put(h.name(), h));
            }
            outputs.get(i).put(ERROR_HANDLE, ERROR_OUTPUT);
            if (node.inputs() != null && !node.inputs().isNull()) {
                if (!node.inputs().isObject()) {
                    errors.add(new FieldError(at + ".inputs", name + "inputs must be an object of literal values"));
                } else {
                    node.inputs().fieldNames().forEachRemaining(input -> {
                        Handle handle = inputs.get(i).get(input);
                        if (handle == null) {
                            errors.add(new FieldError(at + ".inputs." + input, name + "'" + input + "' is not an input of "
                                    + type.spec().type()));
                        } else if (handle.type() == HandleType.STREAM) {
                            errors.add(new FieldError(at + ".inputs." + input, name + "a stream input takes an edge, not a value"));
                        }
                    });
                }
            }
        }

        List<PlanEdge> edges = new ArrayList<>();
        List<List<PlanEdge>> in = new ArrayList<>();
        List<List<PlanEdge>> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            in.add(new ArrayList<>());
            out.add(new ArrayList<>());
        }
        Set<String> edgeIds = new HashSet<>();
        Set<String> fedInputs = new HashSet<>();
        List<GraphEdge> graphEdges = graph.edges();
        for (int e = 0; e < graphEdges.size(); e++) {
            GraphEdge edge = graphEdges.get(e);
            String at = "edges[" + e + "]";
            if (edge == null) {
                errors.add(new FieldError(at, "an edge cannot be null"));
                continue;
            }
            if (edge.id() != null && !edgeIds.add(edge.id())) {
                errors.add(new FieldError(at + ".id", "edge " + edge.id() + ": the id is used twice"));
            }
            Integer source = edge.source() == null ? null : indexById.get(edge.source());
            Integer target = edge.target() == null ? null : indexById.get(edge.target());
            if (source == null) {
                errors.add(new FieldError(at + ".source", "no node '" + edge.source() + "'"));
            }
            if (target == null) {
                errors.add(new FieldError(at + ".target", "no node '" + edge.target() + "'"));
            }
            if (source == null || target == null || types.get(source) == null || types.get(target) == null) {
                continue;
            }
            Handle from = outputs.get(source).get(edge.sourceHandle());
            Handle to = inputs.get(target).get(edge.targetHandle());
            if (from == null) {
                errors.add(new FieldError(at + ".source_handle", "node " + edge.source() + ": no output '"
                        + edge.sourceHandle() + "' (outputs: " + String.join(", ", outputs.get(source).keySet()) + ")"));
            }
            if (to == null) {
                errors.add(new FieldError(at + ".target_handle", "node " + edge.target() + ": no input '"
                        + edge.targetHandle() + "' (inputs: " + String.join(", ", inputs.get(target).keySet()) + ")"));
            }
            if (from == null || to == null) {
                continue;
            }
            if (!from.type().feeds(to.type())) {
                errors.add(new FieldError(at, "incompatible handles: " + edge.source() + "." + from.name() + " is "
                        + from.type().json() + ", " + edge.target() + "." + to.name() + " takes " + to.type().json()));
                continue;
            }
            if (!fedInputs.add(target + "\u0000" + to.name())) {
                errors.add(new FieldError(at + ".target_handle", "node " + edge.target() + ": input '" + to.name()
                        + "' is fed by more than one edge"));
                continue;
            }
            PlanEdge planEdge = new PlanEdge(edges.size(), source, from.name(), target, to.name(),
                    from.type() == HandleType.STREAM);
            edges.add(planEdge);
            out.get(source).add(planEdge);
            in.get(target).add(planEdge);
        }

        for (int i = 0; i < nodes.size(); i++) {
            GraphNode node = nodes.get(i);
            if (node == null || types.get(i) == null) {
                continue;
            }
            for (Handle handle : inputs.get(i).values()) {
                boolean literal = node.inputs() != null && node.inputs().hasNonNull(handle.name());
                if (handle.isRequired() && !literal && !fedInputs.contains(i + "\u0000" + handle.name())) {
                    errors.add(new FieldError("nodes[" + i + "].inputs." + handle.name(), "node " + node.id()
                            + ": required input '" + handle.name() + "' has no edge and no value"));
                }
            }
        }
        checkInterface(graph, indexById, outputs, errors);
        List<String> cycle = cycle(nodes, out, edges);
        if (cycle != null) {
            errors.add(new FieldError("edges", "the graph has a cycle: " + String.join(" -> ", cycle)));
        }
        if (!errors.isEmpty()) {
            return null;
        }
        List<PlanNode> planNodes = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            GraphNode node = nodes.get(i);
            JsonNode config = configOf(node);
            planNodes.add(new PlanNode(i, node, types.get(i), config, inputs.get(i), outputs.get(i), List.copyOf(in.get(i)),
                    List.copyOf(out.get(i)), config.hasNonNull("timeout_ms") ? config.get("timeout_ms").asLong() : null,
                    config.path("retries").asInt(0), config.path("retry_backoff_ms").asLong(500),
                    config.path("on_error").asText("stop")));
        }
        return new Plan(graph, List.copyOf(planNodes), List.copyOf(edges), Map.copyOf(indexById));
    }

    private static void checkInterface(Graph graph, Map<String, Integer> indexById, List<Map<String, Handle>> outputs,
            List<FieldError> errors) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < graph.interfaceInputs().size(); i++) {
            InterfaceInput input = graph.interfaceInputs().get(i);
            if (input == null || input.name() == null || input.name().isBlank()) {
                errors.add(new FieldError("interface_inputs[" + i + "].name", "is required"));
            } else if (!names.add(input.name())) {
                errors.add(new FieldError("interface_inputs[" + i + "].name", "'" + input.name() + "' is declared twice"));
            } else if (input.type() != null && (HandleType.of(input.type()) == null || "stream".equals(input.type()))) {
                errors.add(new FieldError("interface_inputs[" + i + "].type", "must be any, string, number, boolean, object or array"));
            }
        }
        for (int i = 0; i < graph.interfaceOutputs().size(); i++) {
            InterfaceOutput output = graph.interfaceOutputs().get(i);
            if (output == null || output.name() == null || output.name().isBlank()) {
                errors.add(new FieldError("interface_outputs[" + i + "].name", "is required"));
            }
        }
        graph.outputMappings().forEach((name, mapping) -> {
            String at = "output_mappings." + name;
            Integer node = mapping == null || mapping.nodeId() == null ? null : indexById.get(mapping.nodeId());
            if (node == null) {
                errors.add(new FieldError(at + ".node_id", "no node '" + (mapping == null ? null : mapping.nodeId()) + "'"));
            } else if (!outputs.get(node).containsKey(mapping.handle())) {
                errors.add(new FieldError(at + ".handle", "node " + mapping.nodeId() + ": no output '" + mapping.handle() + "'"));
            } else if (outputs.get(node).get(mapping.handle()).type() == HandleType.STREAM) {
                errors.add(new FieldError(at + ".handle", "a stream is not a value: map the node's collected text instead"));
            }
        });
    }

    /** The nodes of one cycle in edge order, or null when the graph is acyclic (Kahn's algorithm). */
    private static List<String> cycle(List<GraphNode> nodes, List<List<PlanEdge>> out, List<PlanEdge> edges) {
        int[] indegree = new int[nodes.size()];
        edges.forEach(e -> indegree[e.target()]++);
        ArrayDeque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < indegree.length; i++) {
            if (indegree[i] == 0) {
                ready.add(i);
            }
        }
        int seen = 0;
        while (!ready.isEmpty()) {
            int node = ready.poll();
            seen++;
            for (PlanEdge edge : out.get(node)) {
                if (--indegree[edge.target()] == 0) {
                    ready.add(edge.target());
                }
            }
        }
        if (seen == nodes.size()) {
            return null;
        }
        // Every node left has an incoming edge from another node left: walk back until one repeats.
        int start = 0;
        while (indegree[start] == 0) {
            start++;
        }
        Map<Integer, Integer> predecessor = new HashMap<>();
        for (PlanEdge edge : edges) {
            if (indegree[edge.source()] > 0 && indegree[edge.target()] > 0) {
                predecessor.putIfAbsent(edge.target(), edge.source());
            }
        }
        List<Integer> walk = new ArrayList<>();
        Set<Integer> onWalk = new HashSet<>();
        int at = start;
        while (onWalk.add(at)) {
            walk.add(at);
            at = predecessor.get(at);
        }
        List<Integer> loop = new ArrayList<>(walk.subList(walk.indexOf(at), walk.size()));
        Collections.reverse(loop);
        // Named from the node listed first in the graph, so the same cycle always reads the same.
        Collections.rotate(loop, -loop.indexOf(Collections.min(loop)));
        List<String> names = new ArrayList<>();
        loop.forEach(i -> names.add(nodes.get(i).id()));
        names.add(nodes.get(loop.get(0)).id());
        return names;
    }

    static JsonNode configOf(GraphNode node) {
        return node.config() == null || node.config().isNull() ? JsonNodeFactory.instance.objectNode() : node.config();
    }
}
