package dev.suite.launcher.gateway;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.util.List;
import java.util.Set;

/**
 * CORS for the whole suite, decided at the gateway: browsers on the allowed origins (and pages the
 * gateway serves itself) may call every route. The services behind never see an {@code Origin},
 * so their own CORS rules neither refuse these calls nor answer twice.
 */
final class Cors {

    static final String ORIGIN = "Origin";
    private static final String ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
    private static final String ALLOWED_HEADERS = "Authorization, Content-Type, Accept, Last-Event-ID, X-Request-Id, "
            + "traceparent, Mcp-Session-Id, MCP-Protocol-Version, Mcp-Method, Mcp-Name";
    private static final String EXPOSED_HEADERS = "Location, Retry-After, X-Request-Id, Content-Disposition, "
            + "Mcp-Session-Id, MCP-Protocol-Version";
    private static final String MAX_AGE = "600";

    private final Set<String> origins;
    private final boolean anyOrigin;

    Cors(List<String> allowedOrigins) {
        this.anyOrigin = allowedOrigins.contains("*");
        this.origins = Set.copyOf(allowedOrigins);
    }

    /** A browser call from another origin than the gateway's own (pages it serves send their own Origin too). */
    static boolean crossOrigin(HttpServerRequest request, String origin) {
        String host = request.getHeader("Host");
        return origin != null && (host == null || !origin.equalsIgnoreCase("http://" + host));
    }

    boolean allows(String origin) {
        return anyOrigin || origins.contains(origin);
    }

    static boolean isPreflight(HttpServerRequest request) {
        return request.method() == HttpMethod.OPTIONS && request.getHeader("Access-Control-Request-Method") != null;
    }

    void answerPreflight(HttpServerRequest request, String origin) {
        request.response()
                .setStatusCode(204)
                .putHeader("Access-Control-Allow-Origin", origin)
                .putHeader("Access-Control-Allow-Methods", ALLOWED_METHODS)
                .putHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS)
                .putHeader("Access-Control-Max-Age", MAX_AGE)
                .putHeader("Vary", "Origin")
                .end();
    }

    /** The CORS headers of an answer to an allowed cross-origin call, replacing any the service sent. */
    static void decorate(MultiMap headers, String origin) {
        headers.names().stream().filter(name -> name.regionMatches(true, 0, "Access-Control-", 0, 15)).toList()
                .forEach(headers::remove);
        headers.set("Access-Control-Allow-Origin", origin);
        headers.set("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        headers.add("Vary", "Origin");
    }
}
