package dev.suite.task.queue;

import dev.suite.commons.tracing.Traces;
import dev.suite.task.tasks.Task;
import dev.suite.task.tasks.TaskState;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One span per attempt of a task, in the trace of the request that created it: the task row keeps
 * that request's {@code traceparent}, so whichever replica claims the task — after a retry, a lost
 * lease or a restart — continues the same trace. Nothing is recorded while tracing is off.
 */
@ApplicationScoped
public class AttemptSpans {

    static final AttributeKey<String> TASK_ID = AttributeKey.stringKey("suite.task.id");
    static final AttributeKey<String> TASK_TYPE = AttributeKey.stringKey("suite.task.type");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("suite.task.attempt");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("suite.task.outcome");

    private final Tracer tracer;

    public AttemptSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    Span start(Task task) {
        return tracer.spanBuilder("task " + task.type())
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(Traces.parent(task.traceParent()))
                .setAttribute(TASK_ID, task.taskId())
                .setAttribute(TASK_TYPE, task.type())
                .setAttribute(ATTEMPT, (long) task.attempts())
                .startSpan();
    }

    /** Ends the attempt's span with the state it led to; a failure's message is its status. */
    static void end(Span span, TaskState next, String error) {
        span.setAttribute(OUTCOME, next.name());
        if (next == TaskState.FAILED || next == TaskState.RETRY_WAIT) {
            span.setStatus(StatusCode.ERROR, error == null ? "failed" : error);
        }
        span.end();
    }
}
