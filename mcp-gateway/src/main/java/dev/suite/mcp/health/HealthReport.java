package dev.suite.mcp.health;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** A server's health as the API shows it: the latest check, and the state the checks agree on. */
@Schema(name = "McpServerHealth")
@RegisterForReflection
public record HealthReport(
        String serverId,
        @Schema(enumeration = {"healthy", "unhealthy", "unknown"}) String status,
        boolean reachable,
        @Schema(enumeration = {"legacy", "modern", "http-sse", "stdio"}) String era,
        @Schema(example = "2025-11-25") String protocolVersion,
        Integer latencyMs,
        String lastError,
        int consecutiveFailures,
        Instant checkedAt,
        Instant changedAt) {

    public static final String HEALTHY = "healthy";
    public static final String UNHEALTHY = "unhealthy";
    public static final String UNKNOWN = "unknown";
}
