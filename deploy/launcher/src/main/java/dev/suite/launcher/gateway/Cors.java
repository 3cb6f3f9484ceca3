package dev.suite.launcher.gateway;

import dev.suite.commons.perimeter.PerimeterRules;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;

/**
 * CORS answers for the whole suite, given at the gateway for the origins {@link PerimeterRules}
 * allows: preflights, and the headers of every answer. The services behind never see an
 * {@code Origin}, so their own perimeter neither refuses these calls nor answers twice.
 */
final class Cors {

    static final String ORIGIN = "Origin";

    private Cors() {
    }

    static boolean isPreflight(HttpServerRequest request) {
        return PerimeterRules.isPreflight(request.method().name(), request.getHeader("Access-Control-Request-Method"));
    }

    static void answerPreflight(HttpServerRequest request, String origin) {
        request.response()
                .setStatusCode(204)
                .putHeader("Access-Control-Allow-Origin", origin)
                .putHeader("Access-Control-Allow-Methods", PerimeterRules.ALLOWED_METHODS)
                .putHeader("Access-Control-Max-Age", PerimeterRules.MAX_AGE_SECONDS)
                .putHeader("Vary", "Origin");
        String headers = PerimeterRules.allowedHeaders(request.getHeader("Access-Control-Request-Headers"));
        if (headers != null) {
            request.response().putHeader("Access-Control-Allow-Headers", headers);
        }
        request.response().end();
    }

    /** The CORS headers of an answer to an allowed cross-origin call, replacing any the service sent. */
    static void decorate(MultiMap headers, String origin) {
        headers.names().stream().filter(name -> name.regionMatches(true, 0, "Access-Control-", 0, 15)).toList()
                .forEach(headers::remove);
        headers.set("Access-Control-Allow-Origin", origin);
        headers.set("Access-Control-Expose-Headers", PerimeterRules.EXPOSED_HEADERS);
        headers.add("Vary", "Origin");
    }
}
