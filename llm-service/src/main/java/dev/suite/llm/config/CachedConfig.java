package dev.suite.llm.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.suite.llm.limits.Limits;
import dev.suite.llm.limits.Scope;

import java.util.ArrayList;
import java.util.List;

/**
 * What the chat gateway needs of a config, as held by {@link LlmConfigCache}. The key stays sealed.
 * {@code fallbacks} (config ids tried in order when this one fails) and {@code timeouts} come from
 * the config's metadata; {@code limits} (none when it has none) from its own column.
 */
public record CachedConfig(String configId, String ownerId, String name, Provider provider, String apiKeySealed,
        String apiUrl, String model, boolean enabled, List<String> fallbacks, JsonNode timeouts, Limits limits) {

    /** Limits are stored as the API writes them, in snake_case. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    static CachedConfig of(LlmConfig config) {
        JsonNode metadata = metadata(config.metadata);
        List<String> fallbacks = new ArrayList<>();
        for (JsonNode id : metadata.path("fallbacks")) {
            if (id.isTextual()) {
                fallbacks.add(id.asText());
            }
        }
        return new CachedConfig(config.id, config.ownerId, config.name,
                Provider.fromWire(config.provider).orElseThrow(), config.apiKeySealed, config.apiUrl, config.model,
                config.enabled, List.copyOf(fallbacks), metadata.path("timeouts"), limits(config.limits));
    }

    /** The limits of the config's calls, as a scope of the limit gate. */
    public Scope scope() {
        return Scope.config(configId, name, limits);
    }

    private static Limits limits(String json) {
        try {
            return json == null ? Limits.NONE : JSON.readValue(json, Limits.class);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable limits of a config: " + e.getMessage(), e);
        }
    }

    private static JsonNode metadata(String json) {
        try {
            return json == null ? JSON.createObjectNode() : JSON.readTree(json);
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }
}
