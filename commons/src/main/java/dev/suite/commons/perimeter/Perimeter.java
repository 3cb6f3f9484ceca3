package dev.suite.commons.perimeter;

import dev.suite.commons.problem.EarlyErrors;
import dev.suite.commons.problem.ProblemType;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.Locale;

/**
 * The first thing every request meets, HTTP and WebSocket upgrades alike, before routing and
 * authentication: a {@code Host} that does not name the suite gets 421, an {@code Origin} that is
 * neither the suite's own nor listed gets 403, and a body that is not JSON gets 415 (except on
 * upload paths). Listed origins get their CORS preflights answered here and CORS headers on every
 * answer, so the services need no CORS settings of their own. See {@link PerimeterRules}.
 */
@ApplicationScoped
public class Perimeter {

    /** After the request id (10 000), so refusals carry one; before body limits and authentication. */
    private static final int PRIORITY = 9_500;

    private final PerimeterRules rules;
    private final List<String> uploadPaths;
    private final EarlyErrors errors;

    public Perimeter(PerimeterConfig config, EarlyErrors errors) {
        this.rules = new PerimeterRules(config.allowedHosts().orElse(List.of()), config.corsOrigins().orElse(List.of()));
        this.uploadPaths = config.uploadPaths().orElse(List.of());
        this.errors = errors;
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    private void check(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String host = request.getHeader(HttpHeaders.HOST);
        if (!rules.hostAllowed(host)) {
            errors.refuse(rc, ProblemType.MISDIRECTED, "This service does not answer for host '" + printable(host)
                    + "'; an operator may add the name to SUITE_ALLOWED_HOSTS.");
            return;
        }
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        PerimeterRules.OriginVerdict verdict = rules.origin(origin, host);
        if (verdict == PerimeterRules.OriginVerdict.REFUSED) {
            errors.refuse(rc, ProblemType.FORBIDDEN, "Pages from origin '" + printable(origin)
                    + "' may not call the suite; an operator may add it to SUITE_CORS_ORIGINS.");
            return;
        }
        if (verdict == PerimeterRules.OriginVerdict.ALLOWED) {
            if (PerimeterRules.isPreflight(request.method().name(),
                    request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD))) {
                answerPreflight(request, origin);
                return;
            }
            HttpServerResponse response = rc.response();
            rc.addHeadersEndHandler(v -> response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                    .putHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, PerimeterRules.EXPOSED_HEADERS)
                    .putHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN));
        }
        if (hasBody(request) && !isJson(request.getHeader(HttpHeaders.CONTENT_TYPE)) && !isUploadPath(rc.normalizedPath())) {
            errors.refuse(rc, ProblemType.UNSUPPORTED_MEDIA_TYPE, "The request body must be JSON (Content-Type: application/json).");
            return;
        }
        rc.next();
    }


    private static void answerPreflight(HttpServerRequest request, String origin) {
        HttpServerResponse response = request.response().setStatusCode(204)
                .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, PerimeterRules.ALLOWED_METHODS)
                .putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, PerimeterRules.MAX_AGE_SECONDS)
                .putHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN);
        String headers = PerimeterRules.allowedHeaders(request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS));
        if (headers != null) {
            response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, headers);
        }
        request.resume();
        response.end();
    }

    private static boolean hasBody(HttpServerRequest request) {
        if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            return true;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return length != null && !length.strip().equals("0");
    }

    /** {@code application/json} or any {@code application/…+json}, parameters aside. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.startsWith("application/") && type.endsWith("+json");
    }

    private boolean isUploadPath(String path) {
        return path != null && uploadPaths.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
    }

    /** A header value as it may appear in a problem: short, and only printable ASCII. */
    private static String printable(String value) {
        String shown = value == null ? "" : value.replaceAll("[^\\x20-\\x7e]", "?");
        return shown.length() > 100 ? shown.substring(0, 100) + "…" : shown;
    }
}
