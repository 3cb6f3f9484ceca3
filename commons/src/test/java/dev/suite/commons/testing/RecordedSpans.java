package dev.suite.commons.testing;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * The spans a service under test finished, kept in memory: Quarkus hands them to every
 * {@code SpanExporter} bean, this one among them. A service's tests turn tracing on with
 * {@code %test.quarkus.otel.sdk.disabled=false} and index this jar
 * ({@code quarkus.index-dependency.commons-testing.*}) so the bean is found.
 */
@ApplicationScoped
public class RecordedSpans {

    private static final InMemorySpanExporter EXPORTER = InMemorySpanExporter.create();

    /** Looked up by Quarkus, never injected: kept although nothing names it. */
    @Produces
    @Singleton
    @Unremovable
    InMemorySpanExporter exporter() {
        return EXPORTER;
    }

    /** Every span of this trace once one of them matches, waiting for batches still on their way. */
    public static List<SpanData> awaitTrace(Predicate<SpanData> oneOfThem) {
        SpanData found = awaitSpan(oneOfThem);
        return inTrace(found.getTraceId());
    }

    /** The first finished span that matches, waiting up to 20 s for it. */
    public static SpanData awaitSpan(Predicate<SpanData> matching) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> EXPORTER.getFinishedSpanItems().stream().filter(matching).findFirst(),
                        Optional::isPresent).orElseThrow();
    }

    /** The finished spans of one trace, in the order they ended. */
    public static List<SpanData> inTrace(String traceId) {
        return EXPORTER.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
    }

    /** Spans of a kind whose name starts with this. */
    public static Predicate<SpanData> named(String prefix, SpanKind kind) {
        return s -> s.getKind() == kind && s.getName().startsWith(prefix);
    }
}
