package dev.suite.workflow.tracing;

import dev.suite.workflow.engine.NodeStatus;
import dev.suite.workflow.graph.PlanNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/**
 * The spans of one run's nodes: {@code node <type>}, one per node the engine runs (not the skipped,
 * bypassed or waiting ones, nor those kept from an earlier run), a child of the execution's span —
 * or, inside a sub-workflow, of the span of the node that runs it.
 *
 * <p>A node is one span however often it is tried: each failed attempt that is tried again is a
 * {@code retry} event on it (the attempt and its error), and {@code suite.node.attempts} says how
 * many there were. So a trace shows one span per node of the graph, with all of the node's calls
 * to other services under it.
 *
 * <p>Only names and outcomes go in a span, never a node's inputs, outputs or prompts; a failure's
 * message, cut to its first 500 characters, is the error. When the execution's span is not recorded
 * (tracing off, or a trace not sampled) the run's spans are {@link #OFF}: nothing is built per node.
 */
public final class NodeSpans {

    public static final NodeSpans OFF = new NodeSpans(null, null);

    static final AttributeKey<String> NODE_ID = AttributeKey.stringKey("suite.node.id");
    static final AttributeKey<String> NODE_TYPE = AttributeKey.stringKey("suite.node.type");
    static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("suite.node.attempts");
    static final AttributeKey<Boolean> CACHED = AttributeKey.booleanKey("suite.node.cached");
    static final AttributeKey<String> STATUS = AttributeKey.stringKey("suite.node.status");
    /** Of a {@code retry} event: the attempt that failed, and why. */
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("suite.node.attempt");
    static final AttributeKey<String> ERROR = AttributeKey.stringKey("suite.node.error");
    /** How much of an error a span keeps: some quote an upstream's answer (a tool's error text) of any length. */
    private static final int ERROR_CHARS = 500;

    private final Tracer tracer;
    private final Context parent;

    private NodeSpans(Tracer tracer, Context parent) {
        this.tracer = tracer;
        this.parent = parent;
    }

    /** The spans of nodes under {@code parent}: off unless it is recorded. */
    static NodeSpans under(Tracer tracer, Span parent) {
        return parent.isRecording() ? new NodeSpans(tracer, Context.root().with(parent)) : OFF;
    }

    /** The spans of a sub-workflow's nodes, under the span of the node that runs it (null: off). */
    public NodeSpans nested(Span node) {
        return node == null ? OFF : under(tracer, node);
    }

    /** Starts the span of a node that starts running; null when off. */
    public Span start(PlanNode node) {
        if (tracer == null) {
            return null;
        }
        return tracer.spanBuilder("node " + node.node().type())
                .setSpanKind(SpanKind.INTERNAL)
                .setParent(parent)
                .setAttribute(NODE_ID, node.id())
                .setAttribute(NODE_TYPE, node.node().type())
                .startSpan();
    }

    /** The node's span made current (a no-op scope when off), so what it publishes meanwhile carries it. */
    public static Scope current(Span span) {
        return span == null ? Scope.noop() : span.makeCurrent();
    }

    /** An attempt failed and the node will be tried again. */
    public static void retrying(Span span, int attempt, String error) {
        if (span != null) {
            span.addEvent("retry", Attributes.of(ATTEMPT, (long) attempt, ERROR, brief(error)));
        }
    }

    /** Ends a node's span with how it ended; a failure's message is its error status. */
    public static void end(Span span, NodeStatus status, int attempts, boolean cached, String error) {
        if (span == null) {
            return;
        }
        span.setAttribute(STATUS, status.json());
        span.setAttribute(ATTEMPTS, (long) attempts);
        if (cached) {
            span.setAttribute(CACHED, true);
        }
        if (status == NodeStatus.FAILED) {
            span.setStatus(StatusCode.ERROR, error == null ? "failed" : brief(error));
        }
        span.end();
    }

    static String brief(String error) {
        return error.length() > ERROR_CHARS ? error.substring(0, ERROR_CHARS) + "…" : error;
    }
}
