package dev.suite.workflow.testnodes;

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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Waits until the test opens the gate of its name: holds executions running (or the queue full)
 * exactly as long as a test needs, without timing. Records which executions reached it.
 */
@ApplicationScoped
public class GateNode implements NodeType {

    private static final NodeSpec SPEC = new NodeSpec("test_gate", "test", "Waits for the test to open it",
            List.of(Handle.in("value", HandleType.ANY, false, null)), List.of(Handle.out("value", HandleType.ANY, null)),
            ConfigSchema.create().string("name", true, null));

    private static final Map<String, CompletableFuture<Void>> GATES = new ConcurrentHashMap<>();
    /** Execution ids that reached each gate, in order. */
    public static final Map<String, List<String>> REACHED = new ConcurrentHashMap<>();
    public static final Set<String> CANCELLED = ConcurrentHashMap.newKeySet();

    public static void open(String name) {
        gate(name).complete(null);
    }

    public static List<String> reached(String name) {
        return REACHED.getOrDefault(name, List.of());
    }

    private static CompletableFuture<Void> gate(String name) {
        return GATES.computeIfAbsent(name, n -> new CompletableFuture<>());
    }

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    /** Not reused unless a node asks: it waits for the test. */
    @Override
    public Caching caching() {
        return Caching.ON_REQUEST;
    }

    @Override
    public Uni<Map<String, JsonNode>> run(NodeCall call) {
        String name = call.config().get("name").asText();
        REACHED.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(call.executionId());
        call.cancellation().onCancel(() -> CANCELLED.add(call.executionId()));
        return Uni.createFrom().completionStage(gate(name)).map(ignored -> Map.of("value", call.input("value")));
    }
}
