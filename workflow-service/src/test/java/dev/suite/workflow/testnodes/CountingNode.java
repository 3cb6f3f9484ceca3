package dev.suite.workflow.testnodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic node worth caching, as an expensive computation would be (the type's default
 * policy): passes its value on and counts its runs by {@code counter}, so a test sees whether it ran.
 */
@ApplicationScoped
public class CountingNode implements NodeType {

    public static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();

    private static final NodeSpec SPEC = new NodeSpec("test_counting", "test", "Counts its runs",
            List.of(Handle.in("value", HandleType.ANY, false, null)),
            List.of(Handle.out("value", HandleType.ANY, null), Handle.out("runs", HandleType.NUMBER, null)),
            ConfigSchema.create().string("counter", true, null));

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Uni<Map<String, JsonNode>> run(NodeCall call) {
        int runs = RUNS.computeIfAbsent(call.config().get("counter").asText(), k -> new AtomicInteger()).incrementAndGet();
        return Uni.createFrom().item(Map.of("value", call.input("value"), "runs", IntNode.valueOf(runs)));
    }
}
