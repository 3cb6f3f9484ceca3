package dev.suite.workflow.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.suite.commons.calls.Caller;
import dev.suite.workflow.engine.Cancellation;
import dev.suite.workflow.engine.StreamChannel;
import dev.suite.workflow.graph.Graph;
import io.smallrye.mutiny.Uni;

import java.util.Map;

/**
 * One attempt of one node: its config and input values, who the execution runs for (calls to
 * other services forward their credentials), and the ways back to the engine — streaming chunks,
 * progress, cancellation, and running a sub-workflow.
 */
public final class NodeCall {

    /** What the engine offers a running node. */
    public interface Host {

        Uni<Void> emit(String nodeId, String handle, JsonNode chunk);

        void progress(String nodeId, Double fraction, String message);

        /** Runs a graph inside this execution (a sub-workflow) as the work of node {@code nodeId}, and answers its outputs. */
        Uni<JsonNode> runNested(String nodeId, String workflowId, Graph graph, JsonNode inputs, Cancellation cancellation);
    }

    private final String executionId;
    private final String nodeId;
    private final JsonNode config;
    private final Map<String, Object> inputs;
    private final JsonNode executionInputs;
    private final Caller caller;
    private final int depth;
    private final int attempt;
    private final Cancellation cancellation;
    private final Host host;

    public NodeCall(String executionId, String nodeId, JsonNode config, Map<String, Object> inputs,
            JsonNode executionInputs, Caller caller, int depth, int attempt, Cancellation cancellation, Host host) {
        this.executionId = executionId;
        this.nodeId = nodeId;
        this.config = config;
        this.inputs = inputs;
        this.executionInputs = executionInputs;
        this.caller = caller;
        this.depth = depth;
        this.attempt = attempt;
        this.cancellation = cancellation;
        this.host = host;
    }

    public String executionId() {
        return executionId;
    }

    public String nodeId() {
        return nodeId;
    }

    /** The node's config: never null. */
    public JsonNode config() {
        return config;
    }

    /** An input's value; JSON null when nothing was given. */
    public JsonNode input(String name) {
        Object value = inputs.get(name);
        return value instanceof JsonNode json ? json : NullNode.getInstance();
    }

    public boolean hasInput(String name) {
        return inputs.get(name) instanceof JsonNode json && !json.isNull();
    }

    /** A stream input's reader, or null when no stream feeds it. */
    public StreamChannel.Reader stream(String name) {
        return inputs.get(name) instanceof StreamChannel.Reader reader ? reader : null;
    }

    /** The values the execution was started with (read by interface inputs). */
    public JsonNode executionInputs() {
        return executionInputs;
    }

    public Caller caller() {
        return caller;
    }

    /** 0 for the top-level graph, one more per enclosing sub-workflow. */
    public int depth() {
        return depth;
    }

    /** 1 for the first attempt. */
    public int attempt() {
        return attempt;
    }

    public Cancellation cancellation() {
        return cancellation;
    }

    /**
     * A chunk of a streaming output: sent to the consumers and the execution's clients
     * ({@code NODE_YIELD}). Completes when they have room for more — wait for it before the next.
     */
    public Uni<Void> emit(String handle, JsonNode chunk) {
        return host.emit(nodeId, handle, chunk);
    }

    /** {@code NODE_PROGRESS}: fraction between 0 and 1 (or null), and a short message. */
    public void progress(Double fraction, String message) {
        host.progress(nodeId, fraction, message);
    }

    public Uni<JsonNode> runNested(String workflowId, Graph graph, JsonNode inputs) {
        return host.runNested(nodeId, workflowId, graph, inputs, cancellation);
    }
}
