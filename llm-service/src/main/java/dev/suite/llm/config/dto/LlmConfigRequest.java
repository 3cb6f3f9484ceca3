package dev.suite.llm.config.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import dev.suite.llm.config.Provider;
import dev.suite.llm.limits.Limits;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Map;
import java.util.Optional;

/**
 * The body of create and full update. The fields a config's GET adds (its id, key hint, times) are
 * the server's: accepted and ignored, so a client can send back what it read. {@code api_key} has three states: absent (keep the stored
 * key on update), {@code null} (clear it) or a value (replace it) — hence a field that stays
 * {@code null} when absent and holds an empty Optional for an explicit {@code null}.
 */
@Schema(name = "LlmConfigRequest")
@JsonIgnoreProperties({"config_id", "has_api_key", "api_key_hint", "created_at", "updated_at"})
@RegisterForReflection
public class LlmConfigRequest {

    @NotBlank
    @Size(max = 100)
    @Schema(example = "OpenAI (work)", required = true)
    public String name;

    @NotBlank
    @Pattern(regexp = Provider.PATTERN, message = "must be one of " + Provider.WIRE_NAMES)
    @Schema(example = "openai", required = true, enumeration = {"openai", "anthropic", "gemini", "ollama",
            "openai-compatible", "echo"})
    public String provider;

    @Schema(implementation = String.class, nullable = true, writeOnly = true, example = "sk-proj-…",
            description = "Write-only. Absent on update keeps the stored key; null clears it.")
    public Optional<@Size(max = 4096) @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank") String> apiKey;

    @Size(max = 2048)
    @Schema(example = "https://api.openai.com/v1",
            description = "Absolute http(s) URL; the provider's default when absent (required for openai-compatible).")
    public String apiUrl;

    @Size(max = 200)
    @Schema(example = "gpt-4o-mini")
    public String model;

    @Schema(defaultValue = "true")
    public Boolean enabled;

    @Schema(description = "Free-form JSON object, at most 16 KB.", example = "{\"temperature\": 0.7}")
    public Map<String, Object> metadata;

    @Valid
    @Schema(description = "Limits and budgets of the calls through this config; absent is none.")
    public Limits limits;
}
