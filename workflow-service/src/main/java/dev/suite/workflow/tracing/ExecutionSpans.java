package dev.suite.workflow.tracing;

import dev.suite.commons.tracing.Traces;
import dev.suite.workflow.executions.ExecutionStatus;
import dev.suite.workflow.executions.ExecutionStore;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One span per run of an execution on the replica that claimed it: {@code execution <workflow id>}
 * ({@code execution inline} for an inline graph), in the trace of what created the execution — the
 * execution row keeps that {@code traceparent}, so a run resumed after a lost lease, a restart or
 * a person's decision, on any replica, is in the same trace. Its nodes' spans are its children
 * ({@link NodeSpans}). Nothing is recorded while tracing is off.
 */
@ApplicationScoped
public class ExecutionSpans {

    static final AttributeKey<String> EXECUTION_ID = AttributeKey.stringKey("suite.execution.id");
    static final AttributeKey<String> WORKFLOW_ID = AttributeKey.stringKey("suite.workflow.id");
    /** The run goes on from nodes an earlier run of the execution finished (a lost replica, a decision). */
    static final AttributeKey<Boolean> RESUMED = AttributeKey.booleanKey("suite.execution.resumed");
    /** How the run ended here: an execution status, or {@link #LOST}. */
    static final AttributeKey<String> STATUS = AttributeKey.stringKey("suite.execution.status");

    /** The run stopped here without an end of its own: another replica has the execution now (or will). */
    public static final String LOST = "lost";

    private final Tracer tracer;

    public ExecutionSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Starts the span of a run of this claimed execution. */
    public Span start(ExecutionStore.Claimed claimed) {
        SpanBuilder span = tracer.spanBuilder("execution " + (claimed.workflowId() == null ? "inline" : claimed.workflowId()))
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(Traces.parent(claimed.traceParent()))
                .setAttribute(EXECUTION_ID, claimed.executionId())
                .setAttribute(RESUMED, claimed.resumes() > 0 || claimed.approvals() > 0);
        if (claimed.workflowId() != null) {
            span.setAttribute(WORKFLOW_ID, claimed.workflowId());
        }
        return span.startSpan();
    }

    /** The spans of the run's nodes. */
    public NodeSpans nodesOf(Span execution) {
        return NodeSpans.under(tracer, execution);
    }

    /** The run's span made current (a no-op scope when there is none), so what is published meanwhile carries it. */
    public static Scope current(Span span) {
        return span.getSpanContext().isValid() ? span.makeCurrent() : Scope.noop();
    }

    /** Ends a run's span with the status it ended in; a failed run's error is its error status. */
    public static void end(Span span, String status, String error) {
        span.setAttribute(STATUS, status);
        if (ExecutionStatus.FAILED.equals(status)) {
            span.setStatus(StatusCode.ERROR, error == null ? "failed" : NodeSpans.brief(error));
        }
        span.end();
    }
}
