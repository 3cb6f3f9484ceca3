package dev.suite.mcp.oauth;

import dev.suite.commons.problem.ProblemException;
import dev.suite.mcp.protocol.JsonRpc;
import dev.suite.mcp.protocol.McpVersions;
import dev.suite.mcp.registry.McpServer;
import dev.suite.mcp.upstream.GatewayInfo;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MCP authorization discovery (2025-06-18 and later): an unauthenticated request whose 401 names
 * the protected resource metadata ({@code resource_metadata}, {@code scope} in
 * {@code WWW-Authenticate}), or else the well-known locations, path-specific first; then the
 * authorization server's metadata by RFC 8414 and OpenID discovery in the specification's order,
 * whose {@code issuer} must be the one asked for.
 */
@ApplicationScoped
public class OAuthDiscovery {

    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final OAuthHttp http;

    public OAuthDiscovery(OAuthHttp http) {
        this.http = http;
    }

    public Uni<AuthorizationServer> discover(McpServer server) {
        URI url = URI.create(server.url);
        JsonObject probe = JsonRpc.request(0, "initialize", new JsonObject()
                .put("protocolVersion", McpVersions.LATEST_LEGACY).put("capabilities", new JsonObject())
                .put("clientInfo", GatewayInfo.client()));
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().set("MCP-Protocol-Version", McpVersions.LATEST_LEGACY);
        return http.postJson(url, probe, headers).chain(answer -> {
            String challenge = answer.status() == 401 ? answer.wwwAuthenticate() : null;
            String metadataUrl = param(challenge, "resource_metadata");
            String scope = param(challenge, "scope");
            List<URI> candidates = new ArrayList<>();
            if (metadataUrl != null) {
                candidates.add(url.resolve(metadataUrl));
            }
            String path = url.getRawPath() == null || url.getRawPath().equals("/") ? "" : url.getRawPath();
            if (!path.isEmpty()) {
                candidates.add(url.resolve("/.well-known/oauth-protected-resource" + path));
            }
            candidates.add(url.resolve("/.well-known/oauth-protected-resource"));
            return firstJson(candidates, 0).chain(resourceMetadata -> {
                JsonArray servers = resourceMetadata.getJsonArray("authorization_servers", new JsonArray());
                if (servers.isEmpty()) {
                    throw ProblemException.upstream("MCP server '" + server.name
                            + "' names no authorization server in its protected resource metadata", null);
                }
                String issuer = servers.getString(0);
                List<String> scopes = scope != null ? List.of(scope.split(" "))
                        : strings(resourceMetadata.getJsonArray("scopes_supported"));
                String resource = resourceMetadata.getString("resource", server.url);
                return authorizationServer(issuer).map(metadata -> new AuthorizationServer(resource, scopes, issuer, metadata));
            });
        });
    }

    /** RFC 8414 and OpenID discovery, for issuers with and without a path, in the MCP specification's order. */
    Uni<JsonObject> authorizationServer(String issuer) {
        URI base = URI.create(issuer);
        String path = base.getRawPath() == null || base.getRawPath().equals("/") ? "" : base.getRawPath();
        List<URI> candidates = path.isEmpty()
                ? List.of(base.resolve("/.well-known/oauth-authorization-server"),
                        base.resolve("/.well-known/openid-configuration"))
                : List.of(base.resolve("/.well-known/oauth-authorization-server" + path),
                        base.resolve("/.well-known/openid-configuration" + path),
                        URI.create(issuer.replaceAll("/$", "") + "/.well-known/openid-configuration"));
        return firstJson(candidates, 0).invoke(metadata -> {
            if (!issuer.equals(metadata.getString("issuer"))) {
                throw ProblemException.upstream("The authorization server metadata for " + issuer
                        + " names another issuer (" + metadata.getString("issuer") + "); refused", null);
            }
        });
    }

    private Uni<JsonObject> firstJson(List<URI> candidates, int index) {
        if (index >= candidates.size()) {
            return Uni.createFrom().failure(ProblemException.upstream("No metadata found at "
                    + candidates.get(candidates.size() - 1).getHost() + " (tried " + candidates + ")", null));
        }
        return http.getJson(candidates.get(index))
                .chain(answer -> answer.ok() ? Uni.createFrom().item(answer.json()) : firstJson(candidates, index + 1));
    }

    /** A parameter of a {@code WWW-Authenticate: Bearer …} challenge, or null. */
    static String param(String challenge, String name) {
        if (challenge == null) {
            return null;
        }
        Matcher matcher = PARAM.matcher(challenge);
        while (matcher.find()) {
            if (matcher.group(1).equals(name)) {
                return matcher.group(2);
            }
        }
        return null;
    }

    private static List<String> strings(JsonArray array) {
        return array == null ? List.of() : array.stream().map(String::valueOf).toList();
    }
}
