package dev.suite.mcp.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.mcp.registry.dto.McpServerResponse;
import dev.suite.mcp.registry.dto.OAuthSettings;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Entity → API view, and the JSON text columns both ways. Sealed values never leave here. */
@ApplicationScoped
public class McpServerMapper {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final ObjectMapper mapper;

    public McpServerMapper(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public McpServerResponse toResponse(McpServer server) {
        return new McpServerResponse(server.id, server.name, server.type, server.url, server.enabled,
                server.useProxy, server.command, strings(server.args), server.cwd, strings(server.envNames),
                strings(server.headerNames), server.requestTimeoutMs / 1000, server.toolCallMaxMs / 1000,
                strings(server.toolsAllow), strings(server.toolsDeny), server.namePrefix, oauth(server), tree(server.metadata),
                tree(server.ext), server.createdAt, server.updatedAt);
    }

    /** The server's OAuth settings without the secret, or null when it is not protected. */
    public OAuthSettings oauth(McpServer server) {
        if (server.oauth == null) {
            return null;
        }
        try {
            OAuthSettings settings = mapper.readValue(server.oauth, OAuthSettings.class);
            settings.clientSecret = null;
            settings.hasClientSecret = server.oauthClientSecretSealed != null;
            return settings;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    public List<String> strings(String json) {
        if (json == null) {
            return null;
        }
        try {
            return mapper.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            // Only valid JSON is ever written; a row edited by hand should not break listing.
            return null;
        }
    }

    public String text(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serializable as JSON", e);
        }
    }

    JsonNode tree(String json) {
        if (json == null) {
            return null;
        }
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
