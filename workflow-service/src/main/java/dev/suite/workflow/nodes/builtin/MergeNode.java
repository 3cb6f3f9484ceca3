package dev.suite.workflow.nodes.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.workflow.nodes.ConfigSchema;
import dev.suite.workflow.nodes.Handle;
import dev.suite.workflow.nodes.HandleType;
import dev.suite.workflow.nodes.NodeCall;
import dev.suite.workflow.nodes.NodeSpec;
import dev.suite.workflow.nodes.NodeType;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;

/**
 * Joins branches: runs when any input arrived (a skipped branch does not skip it) and combines
 * what came — into an object by input name, an array in input order, or the first value.
 */
@ApplicationScoped
public class MergeNode implements NodeType {

    private static final List<String> INPUTS = List.of("a", "b", "c", "d");
    private static final NodeSpec SPEC = new NodeSpec("merge", "control",
            "Joins branches: runs on whichever inputs arrived and combines them",
            INPUTS.stream().map(name -> Handle.in(name, HandleType.ANY, false, null)).toList(),
            List.of(Handle.out("value", HandleType.ANY, null)),
            ConfigSchema.create().choice("mode", false, List.of("object", "array", "first"),
                    "object: {a, b, …} of the inputs that arrived (default); array: their values in order; first: the first"));

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    /** Not reused unless a node asks: running it costs less than looking its outputs up. */
    @Override
    public Caching caching() {
        return Caching.ON_REQUEST;
    }

    @Override
    public boolean joinsBranches() {
        return true;
    }

    @Override
    public Uni<Map<String, JsonNode>> run(NodeCall call) {
        String mode = call.config().path("mode").asText("object");
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (String name : INPUTS) {
            if (call.hasInput(name)) {
                object.set(name, call.input(name));
                array.add(call.input(name));
            }
        }
        JsonNode value = switch (mode) {
            case "array" -> array;
            case "first" -> array.isEmpty() ? NullNode.getInstance() : array.get(0);
            default -> object;
        };
        return Uni.createFrom().item(Map.of("value", value));
    }
}
