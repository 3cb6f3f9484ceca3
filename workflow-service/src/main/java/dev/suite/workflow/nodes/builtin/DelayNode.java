package dev.suite.workflow.nodes.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.workflow.nodes.ConfigSchema;
import dev.suite.workflow.nodes.Handle;
import dev.suite.workflow.nodes.HandleType;
import dev.suite.workflow.nodes.NodeCall;
import dev.suite.workflow.nodes.NodeSpec;
import dev.suite.workflow.nodes.NodeType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;

/** Waits, then passes its value on; an interrupt ends the wait at once. */
@ApplicationScoped
public class DelayNode implements NodeType {

    private static final NodeSpec SPEC = new NodeSpec("delay", "control", "Waits, then passes its value on",
            List.of(Handle.in("value", HandleType.ANY, false, null)),
            List.of(Handle.out("value", HandleType.ANY, null)),
            ConfigSchema.create().integer("ms", true, 0, 86_400_000L, "How long to wait"));

    private final Vertx vertx;

    public DelayNode(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    /** Not reused unless a node asks: its point is the wait. */
    @Override
    public Caching caching() {
        return Caching.ON_REQUEST;
    }

    @Override
    public Uni<Map<String, JsonNode>> run(NodeCall call) {
        long ms = call.config().get("ms").asLong();
        JsonNode value = call.input("value");
        if (ms == 0) {
            return Uni.createFrom().item(Map.of("value", value));
        }
        return Uni.createFrom().emitter(emitter -> {
            long timer = vertx.setTimer(ms, t -> emitter.complete(Map.of("value", value)));
            call.cancellation().onCancel(() -> vertx.cancelTimer(timer));
        });
    }
}
