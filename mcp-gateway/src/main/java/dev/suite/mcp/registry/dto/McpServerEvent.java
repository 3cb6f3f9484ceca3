package dev.suite.mcp.registry.dto;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The data of {@code mcp.server.*} events: the owner (for routing) and the server as the API shows it. */
@RegisterForReflection
public record McpServerEvent(String ownerId, McpServerResponse server) {
}
