package dev.suite.workflow;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Builds graphs for tests: nodes, edges and the interface, as the API takes them. */
public final class Graphs {

    private final JsonArray nodes = new JsonArray();
    private final JsonArray edges = new JsonArray();
    private final JsonArray interfaceInputs = new JsonArray();
    private final JsonObject outputMappings = new JsonObject();

    public static Graphs create() {
        return new Graphs();
    }

    public Graphs node(String id, String type) {
        return node(id, type, null, null);
    }

    public Graphs node(String id, String type, JsonObject config) {
        return node(id, type, config, null);
    }

    public Graphs node(String id, String type, JsonObject config, JsonObject inputs) {
        JsonObject node = new JsonObject().put("id", id).put("type", type);
        if (config != null) {
            node.put("config", config);
        }
        if (inputs != null) {
            node.put("inputs", inputs);
        }
        nodes.add(node);
        return this;
    }

    public Graphs bypassed(String id) {
        nodes.stream().map(JsonObject.class::cast).filter(n -> id.equals(n.getString("id"))).forEach(n -> n.put("bypassed", true));
        return this;
    }

    public Graphs edge(String source, String sourceHandle, String target, String targetHandle) {
        edges.add(new JsonObject().put("id", "e" + edges.size()).put("source", source).put("source_handle", sourceHandle)
                .put("target", target).put("target_handle", targetHandle));
        return this;
    }

    public Graphs input(String name, String type, boolean required) {
        interfaceInputs.add(new JsonObject().put("name", name).put("type", type).put("required", required));
        return this;
    }

    public Graphs output(String name, String nodeId, String handle) {
        outputMappings.put(name, new JsonObject().put("node_id", nodeId).put("handle", handle));
        return this;
    }

    /** The graph as an execution request or workflow body (without inputs). */
    public JsonObject json() {
        JsonObject graph = new JsonObject().put("nodes", nodes).put("edges", edges);
        if (!interfaceInputs.isEmpty()) {
            graph.put("interface_inputs", interfaceInputs);
        }
        if (!outputMappings.isEmpty()) {
            graph.put("output_mappings", outputMappings);
        }
        return graph;
    }

    /** An execution request of this graph with these inputs. */
    public JsonObject run(JsonObject inputs) {
        return json().put("inputs", inputs);
    }
}
