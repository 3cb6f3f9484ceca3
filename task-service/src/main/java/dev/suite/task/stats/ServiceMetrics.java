package dev.suite.task.stats;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Map;

/** {@code GET /api/v1/metrics}: the service's figures as JSON; the Prometheus text stays at {@code /q/metrics}. */
@Schema(name = "ServiceMetrics")
@RegisterForReflection
public record ServiceMetrics(
        @Schema(example = "task-service") String service,
        Requests requests,
        Queue queue) {

    /** This replica's API requests of the last minute (probes under /q/ left out). */
    @Schema(name = "RequestMetrics")
    @RegisterForReflection
    public record Requests(
            @Schema(example = "60") int windowSeconds,
            long count,
            double perSecond,
            @Schema(description = "Share of requests answered 5xx") double errorRate,
            @Schema(description = "Share of requests answered 4xx") double clientErrorRate,
            Latency latencyMs) {
    }

    @Schema(name = "LatencyPercentiles")
    @RegisterForReflection
    public record Latency(double p50, double p95, double p99,
            @Schema(description = "How many of the latest requests (at most 4096) the percentiles are of") int sample) {
    }

    /** Suite-wide, from Redis: -1 running when Redis does not answer. */
    @Schema(name = "QueueMetrics")
    @RegisterForReflection
    public record Queue(
            @Schema(example = "{\"image\": 12, \"video\": 0}") Map<String, Long> depthByType,
            long running) {
    }
}
