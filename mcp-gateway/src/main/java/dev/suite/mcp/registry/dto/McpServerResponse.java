package dev.suite.mcp.registry.dto;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** A server as the API shows it: header and env names, never their values. */
@Schema(name = "McpServer")
@RegisterForReflection
public record McpServerResponse(
        @Schema(example = "0190f5f4-6a2b-7c3d-9e4f-a1b2c3d4e5f6") String serverId,
        @Schema(example = "GitHub") String name,
        @Schema(example = "http-stream") String type,
        @Schema(example = "https://mcp.example.com/mcp") String url,
        boolean enabled,
        boolean useProxy,
        String command,
        List<String> args,
        String cwd,
        @Schema(example = "[\"API_TOKEN\"]") List<String> envNames,
        @Schema(example = "[\"Authorization\"]") List<String> headerNames,
        int requestTimeoutSeconds,
        int toolCallMaxSeconds,
        List<String> toolsAllow,
        List<String> toolsDeny,
        String namePrefix,
        OAuthSettings oauth,
        @Schema(implementation = Object.class) JsonNode metadata,
        @Schema(implementation = Object.class) JsonNode ext,
        Instant createdAt,
        Instant updatedAt) {
}
