package dev.suite.commons.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TracesTest {

    private final Tracer tracer = SdkTracerProvider.builder().build().get("test");

    @Test
    void aStoredTraceparentContinuesTheTraceItWasTakenFrom() {
        Span request = tracer.spanBuilder("request").startSpan();
        String stored;
        try (Scope ignored = request.makeCurrent()) {
            stored = Traces.of(Context.current());
        }
        request.end();
        SpanContext created = request.getSpanContext();
        assertEquals("00-" + created.getTraceId() + "-" + created.getSpanId() + "-01", stored);

        Span worker = tracer.spanBuilder("worker").setParent(Traces.parent(stored)).startSpan();
        assertEquals(created.getTraceId(), worker.getSpanContext().getTraceId());
        worker.end();
    }

    @Test
    void withoutASpanThereIsNothingToCarryAndNothingToContinue() {
        assertNull(Traces.current(), "no endpoint here: tracing is off");
        assertNull(Traces.of(Context.root()));
        assertFalse(Span.fromContext(Traces.parent(null)).getSpanContext().isValid());
        assertFalse(Span.fromContext(Traces.parent("not-a-traceparent")).getSpanContext().isValid());
        assertEquals(Context.root(), Traces.parent(""));
    }

    @Test
    void theSdkIsOnOnlyWhenAnOtlpEndpointIsNamed() {
        assertFalse(TracingSwitch.endpointSet(Map.of(), new Properties()));
        assertFalse(TracingSwitch.endpointSet(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", " "), new Properties()));
        assertTrue(TracingSwitch.endpointSet(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"), new Properties()));
        Properties properties = new Properties();
        properties.setProperty("quarkus.otel.exporter.otlp.traces.endpoint", "http://collector:4318");
        assertTrue(TracingSwitch.endpointSet(Map.of(), properties));
    }
}
