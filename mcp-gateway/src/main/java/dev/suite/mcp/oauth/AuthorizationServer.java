package dev.suite.mcp.oauth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.List;

/**
 * What discovery learnt for one protected server: its resource identifier, the scopes it asks
 * for, and its authorization server's metadata (RFC 8414 / OpenID discovery).
 */
public record AuthorizationServer(String resource, List<String> scopes, String issuer, JsonObject metadata) {

    public URI endpoint(String name) {
        String value = metadata.getString(name);
        return value == null ? null : URI.create(value);
    }

    public boolean supportsS256() {
        JsonArray methods = metadata.getJsonArray("code_challenge_methods_supported");
        return methods != null && methods.contains("S256");
    }

    /** RFC 9207: the server promises {@code iss} on authorization responses. */
    public boolean sendsIss() {
        return metadata.getBoolean("authorization_response_iss_parameter_supported", false);
    }

    public boolean supportsClientIdMetadataDocuments() {
        return metadata.getBoolean("client_id_metadata_document_supported", false);
    }
}
