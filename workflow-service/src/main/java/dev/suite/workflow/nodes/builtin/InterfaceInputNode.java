package dev.suite.workflow.nodes.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
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

/** Hands one of the run's inputs to the graph (the run's value, else this node's default). */
@ApplicationScoped
public class InterfaceInputNode implements NodeType {

    private static final NodeSpec SPEC = new NodeSpec("interface_input", "io",
            "One input of the run, by name (declared in interface_inputs)", List.of(),
            List.of(Handle.out("value", HandleType.ANY, "The run's value for this input")),
            ConfigSchema.create().string("name", true, "The input's name").value("default", false,
                    "Used when the run gives no value"));

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    /** Never reused: it passes the execution's own inputs: nothing to save. */
    @Override
    public Caching caching() {
        return Caching.NEVER;
    }

    @Override
    public Uni<Map<String, JsonNode>> run(NodeCall call) {
        JsonNode value = call.executionInputs().get(call.config().get("name").asText());
        if (value == null || value.isNull()) {
            value = call.config().has("default") ? call.config().get("default") : NullNode.getInstance();
        }
        return Uni.createFrom().item(Map.of("value", value));
    }
}
