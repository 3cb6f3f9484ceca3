package dev.suite.workflow.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Work moved onto a Vert.x context of its own that carries a span for as long as the work goes on.
 *
 * <p>Quarkus keeps the current OpenTelemetry context on the (duplicated) Vert.x context code runs
 * on, and its Vert.x tracer reads it from there when a client sends a request — often later, in a
 * callback, after a {@code try (Scope …)} around the call has closed. The engine runs on whatever
 * context finished the step before (another node's, even another execution's), where a
 * {@code makeCurrent()} does not outlast the call, or does nothing at all (a root event-loop
 * context). So a node's work, and an execution's start, get a context of their own: the span is
 * made current on it once and stays for the work's life — what a server request's context is to
 * the request — and the calls the work makes, whenever they are sent, continue that span.
 */
public final class TracedContexts {

    private TracedContexts() {
    }

    /** Runs {@code work} on a new context carrying {@code span}; here and now when there is no span to carry. */
    public static void run(Vertx vertx, Span span, Runnable work) {
        if (span == null || !span.getSpanContext().isValid()) {
            work.run();
            return;
        }
        carrying(vertx, Context.root().with(span)).execute(work);
    }

    /**
     * The {@code Uni} of {@code work}, made and subscribed to on a new context carrying {@code span}:
     * what the work does later stays on that context.
     */
    public static <T> Uni<T> subscribe(Vertx vertx, Span span, Supplier<Uni<T>> work) {
        Context trace = Context.root().with(span);
        return Uni.createFrom().deferred(() -> {
            // Mutiny's context propagation runs this with the context current where the Uni was
            // made (the engine's: another node's span, the execution's) and lambdas made inside take
            // the context current then with them. So the work is made with the span current here.
            try (Scope ignored = trace.makeCurrent()) {
                return work.get();
            }
        }).runSubscriptionOn(carrying(vertx, trace));
    }

    /** Runs tasks on a new duplicated context (of the current event loop, or any) where {@code trace} is current. */
    private static Executor carrying(Vertx vertx, Context trace) {
        io.vertx.core.Context own = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        return task -> own.runOnContext(ignored -> {
            // Left open on purpose: the context is this work's alone, and the callbacks that come
            // after this returns must still find the span. It goes away with the context.
            trace.makeCurrent();
            task.run();
        });
    }
}
