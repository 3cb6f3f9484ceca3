package dev.suite.workflow.testnodes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.workflow.nodes.ConfigSchema;
import dev.suite.workflow.nodes.Handle;
import dev.suite.workflow.nodes.HandleType;
import dev.suite.workflow.nodes.NodeCall;
import dev.suite.workflow.nodes.NodeFailure;
import dev.suite.workflow.nodes.NodeSpec;
import dev.suite.workflow.nodes.NodeType;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;

/** Fails its first {@code fail_times} attempts (transiently, or permanently), then passes its value on. */
@ApplicationScoped
public class FlakyNode implements NodeType {

    private static final NodeSpec SPEC = new NodeSpec("test_flaky", "test", "Fails, then works",
            List.of(Handle.in("value", HandleType.ANY, false, null)), List.of(Handle.out("value", HandleType.ANY, null)),
            ConfigSchema.create().integer("fail_times", true, 0, 100, null).bool("permanent", false, null));

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    /** Not reused unless a node asks: it exists to fail and be retried. */
    @Override
    public Caching caching() {
        return Caching.ON_REQUEST;
    }

    @Override
    public Uni<Map<String, JsonNode>> run(NodeCall call) {
        if (call.attempt() <= call.config().get("fail_times").asInt()) {
            String message = "planned failure of attempt " + call.attempt();
            return Uni.createFrom().failure(call.config().path("permanent").asBoolean(false)
                    ? NodeFailure.permanent(message) : NodeFailure.transientFailure(message));
        }
        return Uni.createFrom().item(Map.of("value", call.input("value")));
    }
}
