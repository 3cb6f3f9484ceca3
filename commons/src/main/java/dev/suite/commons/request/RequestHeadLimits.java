package dev.suite.commons.request;

import dev.suite.commons.problem.EarlyErrors;
import dev.suite.commons.problem.ProblemType;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Map;

/**
 * 414 and 431 as problems, and no dot-segments in paths. Vert.x refuses a request line or header block over its codec limits
 * with an empty 414/431 and gives Quarkus applications no hook to change that answer, so commons
 * sets those codec limits well above these ({@code quarkus.http.limits.max-initial-line-length},
 * {@code max-header-size}: 64 KiB) and this filter answers everything in between.
 *
 * <p>A path with {@code .} or {@code ..} segments, plain or percent-encoded, names another path once
 * normalized ({@code /api/workflows/w/triggers/%2e%2e} is {@code /api/workflows/w}): a request meant
 * for one route would act on another, and layers that compare raw paths (a proxy's rules) would
 * disagree with the routes. No client of the suite needs one, so it is a 400.
 */
@ApplicationScoped
public class RequestHeadLimits {

    /** Before the perimeter (9 500): an oversized head is refused before anything reads it. */
    private static final int PRIORITY = 9_800;

    private final int maxUriLength;
    private final int maxHeaderBytes;
    private final EarlyErrors errors;

    public RequestHeadLimits(RequestConfig config, EarlyErrors errors) {
        this.maxUriLength = config.maxUriLength();
        this.maxHeaderBytes = config.maxHeaderBytes();
        this.errors = errors;
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    private void check(RoutingContext rc) {
        String uri = rc.request().uri();
        if (uri != null && uri.length() > maxUriLength) {
            errors.refuse(rc, ProblemType.URI_TOO_LONG, "The request URI is longer than the " + maxUriLength
                    + " characters this service accepts.");
            return;
        }
        if (hasDotSegment(rc.request().path())) {
            errors.refuse(rc, ProblemType.VALIDATION, "The path has '.' or '..' segments; send the path they resolve to.");
            return;
        }
        int headerBytes = 0;
        for (Map.Entry<String, String> header : rc.request().headers()) {
            headerBytes += header.getKey().length() + header.getValue().length() + 4;
        }
        if (headerBytes > maxHeaderBytes) {
            errors.refuse(rc, ProblemType.HEADERS_TOO_LARGE, "The request headers take more than the " + maxHeaderBytes
                    + " bytes this service accepts.");
            return;
        }
        rc.next();
    }

    static boolean hasDotSegment(String path) {
        if (path == null || !path.contains(".") && !path.contains("%2e") && !path.contains("%2E")) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            String plain = segment.replace("%2e", ".").replace("%2E", ".");
            if (plain.equals(".") || plain.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
