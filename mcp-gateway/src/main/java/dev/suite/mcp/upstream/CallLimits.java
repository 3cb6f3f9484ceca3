package dev.suite.mcp.upstream;

import dev.suite.mcp.registry.McpServer;

import java.time.Duration;

/**
 * The time limits of one upstream call: {@code idle} without any message (progress resets it),
 * and {@code total}, the absolute cap however much progress arrives.
 */
public record CallLimits(Duration idle, Duration total) {

    public static CallLimits of(McpServer server) {
        return new CallLimits(Duration.ofMillis(server.requestTimeoutMs), Duration.ofMillis(server.toolCallMaxMs));
    }

    /** For quick exchanges (list, health): the idle limit is also the cap. */
    public static CallLimits quick(Duration limit) {
        return new CallLimits(limit, limit);
    }
}
