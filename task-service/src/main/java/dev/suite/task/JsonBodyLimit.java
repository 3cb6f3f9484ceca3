package dev.suite.task;

import dev.suite.commons.perimeter.PerimeterConfig;
import dev.suite.commons.problem.EarlyErrors;
import dev.suite.commons.problem.ProblemType;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.List;

/**
 * The HTTP body limit is set for uploads (which stream and enforce suite.task.files.max-bytes
 * themselves); every other route takes JSON, read whole, so a body over
 * {@code suite.task.max-json-bytes} is answered 413 before it is read — as is a JSON body without
 * a length.
 */
@ApplicationScoped
public class JsonBodyLimit {

    /** After the request id and the overall limit, before authentication. */
    private static final int PRIORITY = 8_900;

    @Inject
    TaskSettings settings;

    @Inject
    EarlyErrors errors;

    @Inject
    PerimeterConfig perimeter;

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            String method = rc.request().method().name();
            boolean hasBody = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
            // The normalised path, as routing sees it: /api/v1/files/../tasks is the tasks route.
            if (!hasBody || isUpload(rc.normalizedPath())) {
                rc.next();
                return;
            }
            String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            boolean chunked = length == null && rc.request().getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
            if (chunked || (length != null && tooLong(length))) {
                errors.refuse(rc, ProblemType.PAYLOAD_TOO_LARGE, chunked
                        ? "Send JSON bodies with a Content-Length (at most " + settings.maxJsonBytes() + " bytes)."
                        : "The request body is larger than the " + settings.maxJsonBytes() + " bytes this route accepts.");
                return;
            }
            rc.next();
        }, PRIORITY);
    }

    private boolean isUpload(String path) {
        return path != null && perimeter.uploadPaths().orElse(List.of()).stream()
                .anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
    }

    private boolean tooLong(String length) {
        try {
            return Long.parseLong(length.trim()) > settings.maxJsonBytes();
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
