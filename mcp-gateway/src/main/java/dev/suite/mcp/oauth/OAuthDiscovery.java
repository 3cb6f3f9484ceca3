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
import java.net.URISyntaxException;
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

    /**
     * A server's protected resource metadata (RFC 9728) that names an authorization server: where
     * it was found, its authorization server, resource identifier and scopes.
     */
    public record ResourceMetadata(URI location, String issuer, String resource, List<String> scopes) {
    }

    private final OAuthHttp http;

    public OAuthDiscovery(OAuthHttp http) {
        this.http = http;
    }

    /**
     * Probes the server without credentials and discovers its authorization server. A server that
     * names none is a 409 saying so: there is nothing to authorise to.
     */
    public Uni<AuthorizationServer> discover(McpServer server) {
        URI url = URI.create(server.url);
        JsonObject probe = JsonRpc.request(0, "initialize", new JsonObject()
                .put("protocolVersion", McpVersions.LATEST_LEGACY).put("capabilities", new JsonObject())
                .put("clientInfo", GatewayInfo.client()));
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().set("MCP-Protocol-Version", McpVersions.LATEST_LEGACY);
        return http.postJson(url, probe, headers).chain(answer -> {
            String challenge = answer.status() == 401 ? answer.wwwAuthenticate() : null;
            return protectedResource(server, challenge).chain(found -> {
                if (found == null) {
                    throw ProblemException.conflict(noAuthorizationServer(server, answer.status()));
                }
                return authorizationServer(found.issuer())
                        .map(metadata -> new AuthorizationServer(found.resource(), found.scopes(), found.issuer(), metadata));
            });
        });
    }

    /**
     * What a server's {@code WWW-Authenticate} challenge (null when it sent none) and the
     * well-known locations say about its protection: the metadata naming its authorization server,
     * or null when there is none.
     */
    public Uni<ResourceMetadata> protectedResource(McpServer server, String challenge) {
        URI url = URI.create(server.url);
        List<URI> candidates = new ArrayList<>();
        URI named = resolve(url, param(challenge, "resource_metadata"));
        if (named != null) {
            candidates.add(named);
        }
        String path = url.getRawPath() == null || url.getRawPath().equals("/") ? "" : url.getRawPath();
        if (!path.isEmpty()) {
            candidates.add(url.resolve("/.well-known/oauth-protected-resource" + path));
        }
        candidates.add(url.resolve("/.well-known/oauth-protected-resource"));
        String scope = param(challenge, "scope");
        return firstJson(candidates, 0).map(found -> {
            if (found == null || !(found.document().getValue("authorization_servers") instanceof JsonArray servers)
                    || servers.isEmpty() || !(servers.getValue(0) instanceof String issuer)
                    || !isAbsoluteUrl(issuer)) {
                return null;
            }
            List<String> scopes = scope != null ? List.of(scope.split(" "))
                    : strings(found.document().getValue("scopes_supported"));
            String resource = found.document().getValue("resource") instanceof String r ? r : server.url;
            return new ResourceMetadata(found.location(), issuer, resource, scopes);
        });
    }

    /** Why the gateway cannot authorise to a server that names no authorization server, from what it answered. */
    static String noAuthorizationServer(McpServer server, int status) {
        return status == 401
                ? "MCP server '" + server.name + "' answered HTTP 401 but names no OAuth authorization server (no "
                        + "protected resource metadata in its challenge or at the well-known locations): it does not "
                        + "use MCP authorization. Give it the credentials it expects in its headers."
                : "MCP server '" + server.name + "' has no OAuth authorization server: it answered HTTP " + status
                        + " without asking for authorization and publishes no protected resource metadata, so it "
                        + "needs no authorization.";
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
        return firstJson(candidates, 0).map(found -> {
            if (found == null) {
                throw ProblemException.upstream("No authorization server metadata found for " + issuer + " (tried "
                        + candidates + ")", null);
            }
            if (!issuer.equals(found.document().getValue("issuer"))) {
                throw ProblemException.upstream("The authorization server metadata for " + issuer
                        + " names another issuer (" + found.document().getValue("issuer") + "); refused", null);
            }
            return found.document();
        });
    }

    private record Found(URI location, JsonObject document) {
    }

    /** The first candidate that answers a JSON object, or null when none does. */
    private Uni<Found> firstJson(List<URI> candidates, int index) {
        if (index >= candidates.size()) {
            return Uni.createFrom().nullItem();
        }
        URI candidate = candidates.get(index);
        return http.getJson(candidate).chain(answer -> answer.ok() ? Uni.createFrom().item(new Found(candidate, answer.json()))
                : firstJson(candidates, index + 1));
    }

    /** A URL a challenge names, against the server's; null when absent or not a URL. */
    private static URI resolve(URI base, String reference) {
        if (reference == null) {
            return null;
        }
        try {
            return base.resolve(reference);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isAbsoluteUrl(String value) {
        try {
            URI uri = new URI(value);
            return uri.isAbsolute() && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
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

    private static List<String> strings(Object value) {
        return value instanceof JsonArray array ? array.stream().map(String::valueOf).toList() : List.of();
    }
}
