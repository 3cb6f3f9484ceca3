package dev.suite.llm.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.llm.config.dto.LlmConfigResponse;
import dev.suite.llm.limits.Limits;
import jakarta.enterprise.context.ApplicationScoped;

/** Entity → API view. The sealed key never leaves here: only {@code has_api_key} and the hint do. */
@ApplicationScoped
public class LlmConfigMapper {

    private final ObjectMapper mapper;

    public LlmConfigMapper(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public LlmConfigResponse toResponse(LlmConfig config) {
        return new LlmConfigResponse(config.id, config.name, config.provider, config.apiKeySealed != null,
                config.apiKeyHint, config.apiUrl, config.model, config.enabled, metadata(config.metadata), limits(config.limits),
                config.createdAt, config.updatedAt);
    }

    /** A config's stored limits; null when it has none. */
    Limits limits(String json) {
        if (json == null) {
            return null;
        }
        try {
            return mapper.readValue(json, Limits.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable limits: " + e.getMessage(), e);
        }
    }

    /** As stored: JSON text, or null for none. */
    String limitsJson(Limits limits) {
        try {
            return limits == null || limits.isEmpty() ? null : mapper.writeValueAsString(limits);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A config's stored metadata text as JSON; null when there is none. */
    JsonNode metadata(String json) {
        if (json == null) {
            return null;
        }
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            // Only valid JSON is ever written; a row edited by hand should not break listing.
            return null;
        }
    }
}
