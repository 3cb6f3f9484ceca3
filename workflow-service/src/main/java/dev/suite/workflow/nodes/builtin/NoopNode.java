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

/** Passes its value on unchanged: a placeholder while drafting, and what benchmarks measure the engine with. */
@ApplicationScoped
public class NoopNode implements NodeType {

    private static final NodeSpec SPEC = new NodeSpec("noop", "utility", "Passes its value on unchanged",
            List.of(Handle.in("value", HandleType.ANY, false, null)),
            List.of(Handle.out("value", HandleType.ANY, null)), ConfigSchema.create());

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
    public Uni<Map<String, JsonNode>> run(NodeCall call) {
        return Uni.createFrom().item(Map.of("value", call.input("value")));
    }
}
