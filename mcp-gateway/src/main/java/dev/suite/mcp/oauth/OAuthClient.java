package dev.suite.mcp.oauth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The gateway as a client of one authorization server: its id, secret (opened, or null for a
 * public client) and how it authenticates at the token endpoint. {@code clientKey} names a
 * registered client's row; null for a client configured on the server.
 */
public record OAuthClient(String clientKey, String clientId, String clientSecret, String authMethod) {

    @Override
    public String toString() {
        return "OAuth client " + clientId;
    }

    /** Adds the client's authentication to a token request: the form fields, or a Basic header (returned). */
    String authenticate(Map<String, String> form) {
        switch (authMethod) {
            case "client_secret_basic" -> {
                String pair = OAuthHttp.encode(clientId) + ":" + OAuthHttp.encode(clientSecret == null ? "" : clientSecret);
                return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
            }
            case "client_secret_post" -> {
                form.put("client_id", clientId);
                form.put("client_secret", clientSecret == null ? "" : clientSecret);
                return null;
            }
            default -> {
                form.put("client_id", clientId);
                return null;
            }
        }
    }
}
