package dev.suite.mcp.oauth;

import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.ProblemType;
import dev.suite.commons.redis.RedisNames;
import dev.suite.mcp.McpSettings;
import dev.suite.mcp.registry.McpServer;
import dev.suite.mcp.registry.McpServerMapper;
import dev.suite.mcp.registry.McpServerService;
import dev.suite.mcp.registry.ServerType;
import dev.suite.mcp.registry.dto.OAuthSettings;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The authorization flows of the routes: start (discovery, client, PKCE S256, a single-use
 * {@code state} in Redis bound to user and server), the callback (state consumed, RFC 9207
 * {@code iss} checked before the code is redeemed, tokens sealed), refresh, status and revocation.
 */
@ApplicationScoped
public class OAuthFlows {

    private static final Logger LOG = Logger.getLogger(OAuthFlows.class);

    /** What the callback reports: the server, and an error code when it did not connect. */
    public record Outcome(String serverId, String error, String detail) {
    }

    /**
     * The status route's answer. {@code awaitingAuthorization}: the server asks for the user's own
     * authorization (it is protected and does not use client credentials) and they have no usable
     * token — {@code POST /mcp/oauth/start} is what they must do.
     */
    @RegisterForReflection
    public record Status(String serverId, boolean connected, Instant expiresAt, List<String> scopes, boolean needsReauth,
            String issuer, boolean awaitingAuthorization) {
    }

    /** Every protected server of a user, with its status. Both answer a route typed Object: registered for native builds. */
    @RegisterForReflection
    public record Statuses(List<Status> items) {
    }

    private final McpServerService servers;
    private final McpServerMapper mapper;
    private final OAuthDiscovery discovery;
    private final OAuthClients clients;
    private final TokenEndpoint endpoint;
    private final TokenVault vault;
    private final McpSettings settings;
    private final ReactiveValueCommands<String, String> values;
    private final RedisNames names;
    // An instance field, not a static one: a native build would seed a static generator at build time.
    private final SecureRandom secureRandom = new SecureRandom();

    public OAuthFlows(McpServerService servers, McpServerMapper mapper, OAuthDiscovery discovery, OAuthClients clients,
            TokenEndpoint endpoint, TokenVault vault, McpSettings settings, ReactiveRedisDataSource redis,
            RedisNames names) {
        this.servers = servers;
        this.mapper = mapper;
        this.discovery = discovery;
        this.clients = clients;
        this.endpoint = endpoint;
        this.vault = vault;
        this.settings = settings;
        this.values = redis.value(String.class, String.class);
        this.names = names;
    }

    /** The callback URL, from the configured public URL or else the origin the request came to. */
    public String redirectUri(String requestOrigin) {
        return settings.oauth().publicUrl().orElse(requestOrigin).replaceAll("/$", "") + "/mcp/oauth/callback";
    }

    /**
     * The URL to send the user to; null for a client_credentials server, which is connected at
     * once. Any HTTP server will do: one without oauth settings is discovered now, and is a 409
     * only when it names no authorization server.
     */
    public Uni<String> start(String ownerId, String serverId, String requestOrigin) {
        String redirectUri = redirectUri(requestOrigin);
        return httpServer(ownerId, serverId).chain(server -> {
            OAuthSettings oauth = settingsOf(server);
            if ("client_credentials".equals(oauth.grantType)) {
                return vault.refreshNow(server).replaceWith((String) null);
            }
            return discovery.discover(server).chain(as -> {
                if (!as.supportsS256()) {
                    throw ProblemException.upstream("The authorization server " + as.issuer()
                            + " does not list PKCE S256 (code_challenge_methods_supported); the gateway refuses to "
                            + "authorize without it.", null);
                }
                return clients.clientFor(server, oauth, as, redirectUri).chain(client -> {
                    String verifier = random(32);
                    String state = random(32);
                    String resource = TokenVault.resourceParam(oauth, as.resource());
                    JsonObject pending = new JsonObject()
                            .put("owner_id", ownerId).put("server_id", server.id).put("verifier", verifier)
                            .put("redirect_uri", redirectUri)
                            .put("issuer", as.issuer()).put("iss_required", as.sendsIss())
                            .put("client_key", client.clientKey()).put("resource", as.resource())
                            .put("token_endpoint", as.metadata().getString("token_endpoint"))
                            .put("revocation_endpoint", as.metadata().getString("revocation_endpoint"));
                    Map<String, String> query = new LinkedHashMap<>();
                    query.put("response_type", "code");
                    query.put("client_id", client.clientId());
                    query.put("redirect_uri", redirectUri);
                    query.put("scope", String.join(" ", scopes(as, oauth)));
                    query.put("state", state);
                    query.put("code_challenge", challenge(verifier));
                    query.put("code_challenge_method", "S256");
                    if (resource != null) {
                        query.put("resource", resource);
                    }
                    String url = as.metadata().getString("authorization_endpoint") + "?" + query.entrySet().stream()
                            .filter(e -> e.getValue() != null && !e.getValue().isEmpty())
                            .map(e -> OAuthHttp.encode(e.getKey()) + "=" + OAuthHttp.encode(e.getValue()))
                            .collect(Collectors.joining("&"));
                    return values.setex(stateKey(state), settings.oauth().stateTtl().toSeconds(), pending.encode())
                            .replaceWith(url);
                });
            });
        });
    }

    /**
     * The authorization server sent the browser back. The state is consumed first, whatever
     * follows: a state is good for one attempt only.
     */
    public Uni<Outcome> callback(String code, String state, String iss, String error, String errorDescription) {
        if (state == null || state.isBlank()) {
            return Uni.createFrom().failure(ProblemException.invalidField("state", "is required"));
        }
        return values.getdel(stateKey(state)).chain(text -> {
            if (text == null) {
                throw new ProblemException(ProblemType.VALIDATION, "This authorization is unknown, expired or already "
                        + "used; start it again.", null, null, null);
            }
            JsonObject pending = new JsonObject(text);
            String serverId = pending.getString("server_id");
            if (error != null) {
                return Uni.createFrom().item(new Outcome(serverId, error, errorDescription));
            }
            String issuer = pending.getString("issuer");
            if ((iss != null || pending.getBoolean("iss_required", false)) && !issuer.equals(iss)) {
                LOG.warnf("Authorization response for server %s came with iss %s, expected %s: refused", serverId, iss,
                        issuer);
                return Uni.createFrom().item(new Outcome(serverId, "invalid_iss",
                        "The authorization response did not come from the expected issuer."));
            }
            if (code == null || code.isBlank()) {
                return Uni.createFrom().item(new Outcome(serverId, "invalid_request", "No code in the response."));
            }
            return redeem(pending, code).replaceWith(new Outcome(serverId, null, null))
                    .onFailure(e -> !(e instanceof ProblemException p) || p.type() != ProblemType.VALIDATION)
                    .recoverWithItem(e -> new Outcome(serverId, "token_request_failed", e.getMessage()));
        });
    }

    private Uni<TokenRow> redeem(JsonObject pending, String code) {
        String ownerId = pending.getString("owner_id");
        return servers.find(ownerId, pending.getString("server_id")).chain(server -> {
            OAuthSettings oauth = settingsOf(server);
            String clientKey = pending.getString("client_key");
            return clients.resolve(server, oauth, clientKey).chain(client -> endpoint.authorizationCode(
                            URI.create(pending.getString("token_endpoint")), client, code, pending.getString("redirect_uri"),
                            pending.getString("verifier"), TokenVault.resourceParam(oauth, pending.getString("resource"))))
                    .chain(tokens -> vault.store(new TokenRow(server.id, ownerId, pending.getString("issuer"),
                            pending.getString("token_endpoint"), pending.getString("revocation_endpoint"), clientKey,
                            pending.getString("resource"), tokens.accessToken(), tokens.refreshToken(), tokens.scope(),
                            TokenVault.expiry(tokens), false, Instant.EPOCH)));
        });
    }

    public Uni<Status> refresh(String ownerId, String serverId) {
        return protectedServer(ownerId, serverId).chain(vault::refreshNow).chain(row -> status(ownerId, serverId));
    }

    /** Any HTTP server's: one that never asked for authorization is simply not connected. */
    public Uni<Status> status(String ownerId, String serverId) {
        return httpServer(ownerId, serverId).chain(server -> vault.current(server)
                .map(row -> toStatus(server, row))
                .onFailure(ProblemException.class).recoverWithUni(e -> vault.rowIfAny(server.id)
                        .map(row -> toStatus(server, row))));
    }

    /** The stored state of each of the user's protected servers (no token is fetched for it). */
    public Uni<Statuses> statuses(String ownerId) {
        return servers.requiringOAuth(ownerId)
                .onItem().transformToMulti(list -> Multi.createFrom().iterable(list))
                .onItem().transformToUniAndConcatenate(server -> vault.rowIfAny(server.id).map(row -> toStatus(server, row)))
                .collect().asList()
                .map(Statuses::new);
    }

    /** Revokes at the server where it can (refresh token, then access token) and forgets the tokens. */
    public Uni<Void> revoke(String ownerId, String serverId) {
        return httpServer(ownerId, serverId).chain(server -> vault.rowIfAny(server.id).chain(row -> {
            if (row == null) {
                throw ProblemException.notFound("Tokens for this MCP server");
            }
            Uni<Void> revoked = Uni.createFrom().voidItem();
            if (row.revocationEndpoint() != null) {
                OAuthSettings oauth = settingsOf(server);
                revoked = clients.resolve(server, oauth, row.clientKey()).chain(client -> {
                    URI at = URI.create(row.revocationEndpoint());
                    Uni<Void> refresh = row.refreshToken() == null ? Uni.createFrom().voidItem()
                            : endpoint.revoke(at, client, row.refreshToken(), "refresh_token");
                    return refresh.chain(() -> row.accessToken() == null ? Uni.createFrom().voidItem()
                            : endpoint.revoke(at, client, row.accessToken(), "access_token"));
                }).onFailure().recoverWithNull().replaceWithVoid();
            }
            return revoked.chain(() -> vault.forget(server.id, ownerId));
        }));
    }

    /** The status a stored row (or none) gives. */
    private Status toStatus(McpServer server, TokenRow row) {
        boolean connected = row != null && !row.needsReauth() && row.accessToken() != null
                && (row.expiresAt() == null || row.expiresAt().isAfter(Instant.now()) || row.refreshToken() != null);
        boolean awaiting = !connected && server.requiresOAuth()
                && !"client_credentials".equals(settingsOf(server).grantType);
        if (row == null) {
            return new Status(server.id, false, null, List.of(), false, null, awaiting);
        }
        List<String> scopes = row.scopes() == null ? List.of() : List.of(row.scopes().split(" "));
        return new Status(server.id, connected, row.expiresAt(), scopes, row.needsReauth(), row.issuer(), awaiting);
    }

    /** The caller's server, if it is reached over HTTP: OAuth is for those only. */
    private Uni<McpServer> httpServer(String ownerId, String serverId) {
        return servers.find(ownerId, serverId).invoke(server -> {
            if (ServerType.fromWire(server.type).orElseThrow() == ServerType.STDIO) {
                throw ProblemException.conflict("MCP server '" + server.name + "' runs as a local process (stdio): "
                        + "OAuth authorization is for HTTP servers.");
            }
        });
    }

    /** The caller's server, if its requests carry their token: there is one to refresh. */
    private Uni<McpServer> protectedServer(String ownerId, String serverId) {
        return httpServer(ownerId, serverId).invoke(server -> {
            if (!server.requiresOAuth()) {
                throw ProblemException.conflict("MCP server '" + server.name + "' has not asked for OAuth "
                        + "authorization: there is no token to refresh. POST /mcp/oauth/start with its server_id "
                        + "to authorise it.");
            }
        });
    }

    /** The server's OAuth settings; the defaults for a server that has none (it asked for authorization itself). */
    private OAuthSettings settingsOf(McpServer server) {
        OAuthSettings oauth = mapper.oauth(server);
        return oauth != null ? oauth : new OAuthSettings();
    }

    /** The server's scopes, the configured extras, and offline_access where offered (for a refresh token). */
    static List<String> scopes(AuthorizationServer as, OAuthSettings oauth) {
        Set<String> scopes = new LinkedHashSet<>(as.scopes());
        if (oauth != null && oauth.scopes != null) {
            scopes.addAll(oauth.scopes);
        }
        JsonArray supported = as.metadata().getJsonArray("scopes_supported");
        if (supported != null && supported.contains("offline_access")) {
            scopes.add("offline_access");
        }
        return new ArrayList<>(scopes);
    }

    private String stateKey(String state) {
        return names.key("mcp", "oauth-state", state);
    }

    private String random(int bytes) {
        byte[] value = new byte[bytes];
        secureRandom.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
