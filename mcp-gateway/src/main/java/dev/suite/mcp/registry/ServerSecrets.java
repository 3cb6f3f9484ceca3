package dev.suite.mcp.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.crypto.SecretBox;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.TreeMap;

/**
 * Seals and opens a server's header and env values. Each map is sealed as one JSON object, bound
 * to its row and column, so a ciphertext copied into another server does not open there.
 */
@ApplicationScoped
public class ServerSecrets {

    private static final TypeReference<TreeMap<String, String>> MAP = new TypeReference<>() {
    };

    private final SecretBox box;
    private final ObjectMapper mapper;

    public ServerSecrets(SecretBox box, ObjectMapper mapper) {
        this.box = box;
        this.mapper = mapper;
    }

    public Map<String, String> headers(McpServer server) {
        return open(server.headersSealed, context(server.id, "headers"));
    }

    public Map<String, String> env(McpServer server) {
        return open(server.envSealed, context(server.id, "env"));
    }

    /** The pre-registered OAuth client's secret, or null. */
    public String oauthClientSecret(McpServer server) {
        return server.oauthClientSecretSealed == null ? null
                : box.open(server.oauthClientSecretSealed, context(server.id, "oauth_client_secret"));
    }

    void setOAuthClientSecret(McpServer server, String secret) {
        server.oauthClientSecretSealed = secret == null ? null : box.seal(secret, context(server.id, "oauth_client_secret"));
    }

    void setHeaders(McpServer server, Map<String, String> headers, McpServerMapper columns) {
        server.headersSealed = seal(headers, context(server.id, "headers"));
        server.headerNames = headers == null || headers.isEmpty() ? null : columns.text(new TreeMap<>(headers).keySet());
        stampKey(server);
    }

    void setEnv(McpServer server, Map<String, String> env, McpServerMapper columns) {
        server.envSealed = seal(env, context(server.id, "env"));
        server.envNames = env == null || env.isEmpty() ? null : columns.text(new TreeMap<>(env).keySet());
        stampKey(server);
    }

    private void stampKey(McpServer server) {
        server.secretsKeyId = server.headersSealed == null && server.envSealed == null ? null : box.currentKeyId();
    }

    private String seal(Map<String, String> values, String context) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        try {
            return box.seal(mapper.writeValueAsString(new TreeMap<>(values)), context);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("secret values must be strings", e);
        }
    }

    private Map<String, String> open(String sealed, String context) {
        if (sealed == null) {
            return Map.of();
        }
        try {
            return mapper.readValue(box.open(sealed, context), MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("sealed " + context + " is not a JSON object", e);
        }
    }

    static String context(String serverId, String column) {
        return "mcp_server:" + serverId + ":" + column;
    }
}
