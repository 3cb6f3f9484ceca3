package dev.suite.launcher.gateway;

import dev.suite.commons.perimeter.PerimeterRules;
import dev.suite.launcher.supervise.ServiceDirectory;
import dev.suite.launcher.supervise.ServiceState;
import dev.suite.launcher.tracing.GatewayTracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.tracing.opentelemetry.OpenTelemetryOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gateway with tracing on: its spans, and the trace context the service behind it receives. */
class GatewayTracingTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    private static OpenTelemetrySdk sdk;
    private static Vertx vertx;
    private static int gateway;

    @BeforeAll
    static void start() throws Exception {
        sdk = GatewayTracing.withExporter(SPANS, 1.0);
        vertx = Vertx.vertx(new VertxOptions().setTracingOptions(new OpenTelemetryOptions(sdk)));
        // The service stands in for one that continues the trace: it answers the traceparent it got.
        int upstream = vertx.createHttpServer(new HttpServerOptions().setTracingPolicy(TracingPolicy.IGNORE))
                .requestHandler(request -> request.response().end(String.valueOf(request.getHeader("traceparent"))))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get().actualPort();
        ServiceDirectory directory = new ServiceDirectory();
        directory.put("llm-service", upstream, ServiceState.READY);
        try (ServerSocket socket = new ServerSocket(0)) {
            gateway = socket.getLocalPort();
        }
        vertx.deployVerticle(new ApiGateway(RouteTable.load(), directory, new PerimeterRules(List.of(), List.of()), gateway))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        sdk.close();
    }

    @Test
    void aRequestWithoutTraceStartsOneHereAndTheServiceContinuesIt() throws Exception {
        String received = send(null);
        String traceId = received.split("-")[1];
        SpanData server = awaitSpan(traceId, SpanKind.SERVER);
        SpanData client = awaitSpan(traceId, SpanKind.CLIENT);
        assertFalse(server.getParentSpanContext().isValid(), "the gateway's span is the root of the trace");
        assertEquals(server.getSpanId(), client.getParentSpanId());
        assertEquals(client.getSpanId(), received.split("-")[2], "the service's parent is the gateway's call to it");
        assertEquals(GatewayTracing.SERVICE_NAME, server.getResource().getAttribute(AttributeKey.stringKey("service.name")));
    }

    @Test
    void aCallersTraceparentIsContinued() throws Exception {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String received = send("00-" + traceId + "-00f067aa0ba902b7-01");
        assertTrue(received.startsWith("00-" + traceId + "-"), received);
        assertEquals("00f067aa0ba902b7", awaitSpan(traceId, SpanKind.SERVER).getParentSpanId());
    }

    @Test
    void withoutAnEndpointTheEnvironmentAsksForNoTracing() {
        assertTrue(GatewayTracing.fromEnvironment(Map.of()).isEmpty());
        assertTrue(GatewayTracing.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317")).isPresent());
    }

    private static String send(String traceparent) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + "/api/llm/configs"));
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private static SpanData awaitSpan(String traceId, SpanKind kind) {
        sdk.getSdkTracerProvider().forceFlush().join(5, TimeUnit.SECONDS);
        return await().atMost(Duration.ofSeconds(10)).until(() -> SPANS.getFinishedSpanItems().stream()
                        .filter(s -> s.getTraceId().equals(traceId) && s.getKind() == kind).findFirst(),
                Optional::isPresent).orElseThrow();
    }
}
