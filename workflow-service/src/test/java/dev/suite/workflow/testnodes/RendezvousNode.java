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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Completes only once {@code parties} rendezvous nodes of the same execution are running at the
 * same time: a graph of them finishes only if the engine runs independent branches concurrently
 * (run one after another, the first would wait for ever).
 */
@ApplicationScoped
public class RendezvousNode implements NodeType {

    private static final NodeSpec SPEC = new NodeSpec("test_rendezvous", "test", "Waits for its peers to be running",
            List.of(Handle.in("value", HandleType.ANY, false, null)), List.of(Handle.out("value", HandleType.ANY, null)),
            ConfigSchema.create().integer("parties", true, 1, 100, null));

    private record Meeting(AtomicInteger arrived, CompletableFuture<Integer> all) {
    }

    private final Map<String, Meeting> meetings = new ConcurrentHashMap<>();

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
        int parties = call.config().get("parties").asInt();
        Meeting meeting = meetings.computeIfAbsent(call.executionId(),
                id -> new Meeting(new AtomicInteger(), new CompletableFuture<>()));
        if (meeting.arrived().incrementAndGet() == parties) {
            meeting.all().complete(parties);
        }
        return Uni.createFrom().completionStage(meeting.all()).map(n -> Map.of("value", IntNode.valueOf(n)));
    }
}
