package dev.suite.llm.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * What the chat gateway needs of a config, as held by {@link LlmConfigCache}. The key stays sealed.
 * {@code fallbacks} (config ids tried in order when this one fails) and {@code timeouts} come from
 * the config's metadata.
 */
public record CachedConfig(String configId, String ownerId, String name, Provider provider, String apiKeySealed,
        String apiUrl, String model, boolean enabled, List<String> fallbacks, JsonNode timeouts) {

    private static final ObjectMapper JSON = new ObjectMapper();

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
                config.enabled, List.copyOf(fallbacks), metadata.path("timeouts"));
    }

    private static JsonNode metadata(String json) {
        try {
            return json == null ? JSON.createObjectNode() : JSON.readTree(json);
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }
}
