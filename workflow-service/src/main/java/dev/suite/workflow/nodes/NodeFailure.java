package dev.suite.workflow.nodes;

/**
 * A node that could not do its work. {@code retryable} says whether another attempt may succeed
 * (an upstream that failed or timed out) or not (bad input, a refusal): the engine retries only
 * the former, as the node's retry policy allows.
 */
public class NodeFailure extends RuntimeException {

    private final boolean retryable;

    public NodeFailure(String message, boolean retryable) {
        super(message, null, false, false);
        this.retryable = retryable;
    }

    public static NodeFailure permanent(String message) {
        return new NodeFailure(message, false);
    }

    public static NodeFailure transientFailure(String message) {
        return new NodeFailure(message, true);
    }

    public boolean retryable() {
        return retryable;
    }
}
