package dev.suite.commons.request;

import dev.suite.commons.problem.EarlyErrors;
import dev.suite.commons.problem.ProblemType;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * Answers an over-limit {@code Content-Length} with a 413 problem before the body is read. (Vert.x
 * enforces {@code quarkus.http.limits.max-body-size} too, for chunked bodies, but with an empty 413.)
 */
@ApplicationScoped
public class BodyLimitHandler {

    /** After the request id (10 000), before authentication. */
    private static final int PRIORITY = 9_000;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    Optional<MemorySize> maxBodySize;

    @Inject
    EarlyErrors errors;

    void register(@Observes Filters filters) {
        if (maxBodySize.isEmpty()) {
            return;
        }
        long limit = maxBodySize.get().asLongValue();
        filters.register(rc -> {
            String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && exceeds(length, limit)) {
                errors.refuse(rc, ProblemType.PAYLOAD_TOO_LARGE,
                        "The request body is larger than the " + limit + " bytes this service accepts.");
                return;
            }
            rc.next();
        }, PRIORITY);
    }

    private static boolean exceeds(String contentLength, long limit) {
        try {
            return Long.parseLong(contentLength.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
