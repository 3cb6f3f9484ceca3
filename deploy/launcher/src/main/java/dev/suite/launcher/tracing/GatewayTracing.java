package dev.suite.launcher.tracing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;

import java.util.Map;
import java.util.Optional;

/**
 * The local API gateway's traces, set up as the services set up theirs (commons TracingSwitch): none
 * unless {@code OTEL_EXPORTER_OTLP_ENDPOINT} names a collector, then every proxied request is a
 * server span that starts the trace (or continues the caller's {@code traceparent}) and the call to
 * the service its child, whose context the service continues. {@code OTEL_EXPORTER_OTLP_PROTOCOL}
 * is {@code grpc} (the default) or {@code http/protobuf}; {@code OTEL_TRACES_SAMPLER_ARG} the share
 * of new traces kept.
 */
public final class GatewayTracing {

    public static final String SERVICE_NAME = "api-gateway";

    private GatewayTracing() {
    }

    /** The SDK the environment asks for, or empty when it names no OTLP endpoint. */
    public static Optional<OpenTelemetrySdk> fromEnvironment(Map<String, String> env) {
        String tracesEndpoint = blankToNull(env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
        String endpoint = blankToNull(env.get("OTEL_EXPORTER_OTLP_ENDPOINT"));
        if (tracesEndpoint == null && endpoint == null) {
            return Optional.empty();
        }
        String protocol = Optional.ofNullable(blankToNull(env.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")))
                .or(() -> Optional.ofNullable(blankToNull(env.get("OTEL_EXPORTER_OTLP_PROTOCOL")))).orElse("grpc");
        SpanExporter exporter = switch (protocol) {
            case "grpc" -> OtlpGrpcSpanExporter.builder().setEndpoint(tracesEndpoint != null ? tracesEndpoint : endpoint).build();
            // The general endpoint is the collector's base URL: the signal's path goes after it (OTLP spec).
            case "http/protobuf" -> OtlpHttpSpanExporter.builder().setEndpoint(tracesEndpoint != null ? tracesEndpoint
                    : endpoint.replaceAll("/+$", "") + "/v1/traces").build();
            default -> throw new IllegalArgumentException("OTEL_EXPORTER_OTLP_PROTOCOL must be grpc or http/protobuf, not "
                    + protocol);
        };
        double ratio = Double.parseDouble(Optional.ofNullable(blankToNull(env.get("OTEL_TRACES_SAMPLER_ARG"))).orElse("1.0"));
        return Optional.of(withExporter(exporter, ratio));
    }

    /** An SDK that hands the gateway's spans to this exporter in batches. */
    public static OpenTelemetrySdk withExporter(SpanExporter exporter, double sampledRatio) {
        SdkTracerProvider tracers = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.builder()
                        .put("service.name", SERVICE_NAME).build())))
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(sampledRatio)))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                .build();
        return OpenTelemetrySdk.builder()
                .setTracerProvider(tracers)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
