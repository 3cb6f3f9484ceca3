package dev.suite.commons.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * W3C trace context as text ({@code traceparent}): what outlives the request that started some
 * work — a stored task or execution, a CloudEvent on Redis — carries of its trace, so the worker
 * that picks it up later, on any replica and after restarts, continues that trace.
 */
public final class Traces {

    public static final String TRACEPARENT = "traceparent";

    private static final TextMapGetter<String> FROM_TEXT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(TRACEPARENT);
        }

        @Override
        public String get(String carrier, String key) {
            return TRACEPARENT.equals(key) ? carrier : null;
        }
    };

    private Traces() {
    }

    /**
     * Whether this service traces, read once: with tracing off, looking up the current context still
     * costs an allocation on an event loop, and events and rows are written at a high rate.
     */
    private static final class Sdk {
        static final boolean ON = !ConfigProvider.getConfig().getOptionalValue("quarkus.otel.sdk.disabled", Boolean.class)
                .orElse(false);
    }

    /** The {@code traceparent} of the current span, or null when none is being recorded (tracing off). */
    public static String current() {
        return Sdk.ON ? of(Context.current()) : null;
    }

    /** The {@code traceparent} of the span in this context, or null when it holds no valid span. */
    public static String of(Context context) {
        SpanContext span = Span.fromContext(context).getSpanContext();
        if (!span.isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>(2);
        W3CTraceContextPropagator.getInstance().inject(context, carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }

    /**
     * A context whose parent is the span a stored {@code traceparent} names; the root context when
     * there is none or it is malformed, so the work is traced on its own rather than not at all.
     */
    public static Context parent(String traceparent) {
        if (traceparent == null || traceparent.isEmpty()) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, FROM_TEXT);
    }
}
