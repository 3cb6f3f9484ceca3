package dev.suite.workflow.nodes.builtin;

import com.fasterxml.jackson.databind.JsonNode;
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

/** Gives one output of the run, by name: the execution's {@code outputs.<name>}. */
@ApplicationScoped
public class InterfaceOutputNode implements NodeType {

    public static final String TYPE = "interface_output";
    public static final String VALUE = "value";

    private static final NodeSpec SPEC = new NodeSpec(TYPE, "io", "One output of the run, by name",
            List.of(Handle.in(VALUE, HandleType.ANY, true, "The output's value")),
            List.of(Handle.out(VALUE, HandleType.ANY, "The same value, for further nodes")),
            ConfigSchema.create().string("name", true, "The output's name in the execution's outputs"));

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    /** Never reused: it passes a value to the execution's outputs: nothing to save. */
    @Override
    public Caching caching() {
        return Caching.NEVER;
    }

    @Override
    public Uni<Map<String, JsonNode>> run(NodeCall call) {
        return Uni.createFrom().item(Map.of(VALUE, call.input(VALUE)));
    }
}
