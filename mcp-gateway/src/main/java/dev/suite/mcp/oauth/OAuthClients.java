package dev.suite.mcp.oauth;

import dev.suite.commons.crypto.SecretBox;
import dev.suite.commons.problem.ProblemException;
import dev.suite.mcp.McpSettings;
import dev.suite.mcp.registry.McpServer;
import dev.suite.mcp.registry.ServerSecrets;
import dev.suite.mcp.registry.dto.OAuthSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Which client the gateway is at an authorization server, in the MCP specification's order: one
 * configured on the server; else its Client ID Metadata Document where the server accepts those
 * (and the gateway has an https public URL); else one it registered before with that issuer (kept
 * per issuer and redirect URI, secret sealed); else a new one by dynamic client registration
 * (RFC 7591).
 */
@ApplicationScoped
public class OAuthClients {

    /** The client key of the Client ID Metadata Document client, which has no stored row. */
    static final String METADATA_DOCUMENT = "client-id-metadata-document";

    private final Pool db;
    private final OAuthHttp http;
    private final SecretBox box;
    private final ServerSecrets serverSecrets;
    private final McpSettings settings;

    public OAuthClients(Pool db, OAuthHttp http, SecretBox box, ServerSecrets serverSecrets, McpSettings settings) {
        this.db = db;
        this.http = http;
        this.box = box;
        this.serverSecrets = serverSecrets;
        this.settings = settings;
    }

    public Uni<OAuthClient> clientFor(McpServer server, OAuthSettings oauth, AuthorizationServer as, String redirectUri) {
        if (oauth.clientId != null) {
            return Uni.createFrom().item(configured(server, oauth));
        }
        if (as.supportsClientIdMetadataDocuments() && metadataDocumentUrl().isPresent()) {
            return Uni.createFrom().item(metadataDocumentClient());
        }
        String key = key(as.issuer(), redirectUri);
        return find(key).onItem().ifNull().switchTo(() -> register(server, as, redirectUri, key));
    }

    /** The client a token row names: the server's configured one, or a registered one by its key. */
    public Uni<OAuthClient> resolve(McpServer server, OAuthSettings oauth, String clientKey) {
        if (clientKey == null) {
            return Uni.createFrom().item(configured(server, oauth));
        }
        if (METADATA_DOCUMENT.equals(clientKey)) {
            return Uni.createFrom().item(metadataDocumentClient());
        }
        return find(clientKey).onItem().ifNull().failWith(() -> ProblemException.upstream(
                "The gateway's registration with this authorization server is gone; authorize again", null));
    }

    /**
     * The URL of the gateway's Client ID Metadata Document, which is its client id wherever an
     * authorization server accepts such documents. Only with an https public URL: the document
     * must be fetchable by the server, at an address that identifies the gateway.
     */
    public java.util.Optional<String> metadataDocumentUrl() {
        return settings.oauth().publicUrl().filter(url -> url.startsWith("https://"))
                .map(url -> url.replaceAll("/$", "") + "/mcp/oauth/client-metadata.json");
    }

    /** A public client (no secret: PKCE protects the code) named by its metadata document. */
    private OAuthClient metadataDocumentClient() {
        return new OAuthClient(METADATA_DOCUMENT, metadataDocumentUrl().orElseThrow(), null, "none");
    }

    OAuthClient configured(McpServer server, OAuthSettings oauth) {
        String secret = serverSecrets.oauthClientSecret(server);
        String method = oauth.tokenEndpointAuthMethod != null ? oauth.tokenEndpointAuthMethod
                : secret != null ? "client_secret_basic" : "none";
        return new OAuthClient(null, oauth.clientId, secret, method);
    }

    private Uni<OAuthClient> find(String key) {
        return db.preparedQuery("SELECT client_id, client_secret_sealed, auth_method FROM mcp_oauth_client WHERE client_key = ?")
                .execute(Tuple.of(key))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    String sealed = row.getString("client_secret_sealed");
                    return new OAuthClient(key, row.getString("client_id"),
                            sealed == null ? null : box.open(sealed, context(key)), row.getString("auth_method"));
                });
    }

    /** RFC 7591: a confidential client with the gateway's callback, authorization code and refresh grants. */
    private Uni<OAuthClient> register(McpServer server, AuthorizationServer as, String redirectUri, String key) {
        if (as.endpoint("registration_endpoint") == null) {
            return Uni.createFrom().failure(ProblemException.conflict("The authorization server " + as.issuer()
                    + " offers no dynamic client registration: register a client there and set oauth.client_id "
                    + "(and client_secret) on MCP server '" + server.name + "'."));
        }
        JsonObject request = new JsonObject()
                .put("client_name", settings.oauth().clientName())
                .put("redirect_uris", new JsonArray().add(redirectUri))
                .put("grant_types", new JsonArray().add("authorization_code").add("refresh_token"))
                .put("response_types", new JsonArray().add("code"))
                .put("token_endpoint_auth_method", "client_secret_basic");
        return http.postJson(as.endpoint("registration_endpoint"), request, null).chain(answer -> {
            if (!answer.ok() || answer.json().getString("client_id") == null) {
                throw ProblemException.upstream("Dynamic client registration at " + as.issuer() + " failed: "
                        + (answer.json() == null ? "HTTP " + answer.status() : answer.json().encode()), answer.status());
            }
            JsonObject registered = answer.json();
            String secret = registered.getString("client_secret");
            String method = registered.getString("token_endpoint_auth_method", secret == null ? "none" : "client_secret_basic");
            OAuthClient client = new OAuthClient(key, registered.getString("client_id"), secret, method);
            // Another replica may register at the same moment: the first row wins, both clients work.
            return db.preparedQuery("INSERT IGNORE INTO mcp_oauth_client (client_key, issuer, redirect_uri, client_id, "
                            + "client_secret_sealed, auth_method, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .execute(Tuple.tuple(Arrays.asList(key, as.issuer(), redirectUri, client.clientId(),
                            secret == null ? null : box.seal(secret, context(key)), method,
                            LocalDateTime.now(ZoneOffset.UTC))))
                    .chain(() -> find(key));
        });
    }

    static String key(String issuer, String redirectUri) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((issuer + "\n" + redirectUri).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String context(String key) {
        return "mcp_oauth_client:" + key + ":client_secret";
    }
}
