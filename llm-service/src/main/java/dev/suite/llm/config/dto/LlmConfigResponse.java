package dev.suite.llm.config.dto;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.llm.limits.Limits;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** A config as the API shows it: never the key, only whether there is one and its last characters. */
@Schema(name = "LlmConfig")
@RegisterForReflection
public record LlmConfigResponse(
        @Schema(example = "0190f5f4-6a2b-7c3d-9e4f-a1b2c3d4e5f6") String configId,
        @Schema(example = "OpenAI (work)") String name,
        @Schema(example = "openai") String provider,
        @Schema(example = "true") boolean hasApiKey,
        @Schema(example = "x9Qz", description = "The key's last 4 characters, for telling keys apart.") String apiKeyHint,
        @Schema(example = "https://api.openai.com/v1") String apiUrl,
        @Schema(example = "gpt-4o-mini") String model,
        boolean enabled,
        @Schema(implementation = Object.class, example = "{\"temperature\": 0.7}") JsonNode metadata,
        Limits limits,
        Instant createdAt,
        Instant updatedAt) {
}
