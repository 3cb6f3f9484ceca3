package dev.suite.commons.request;

import dev.suite.commons.ids.Ids;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.MDC;

/**
 * Gives every HTTP request (WebSocket upgrades included) a request id: the caller's
 * {@code X-Request-Id} when it is acceptable, a new one otherwise. It is echoed on the response and
 * kept in the MDC so every log line of the request carries it; calls to other services forward it.
 */
@ApplicationScoped
public class RequestIdHandler {

    /** Runs before authentication and routing, so even a 401 or 404 carries the id. */
    private static final int PRIORITY = 10_000;

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            String id = rc.request().getHeader(RequestIds.HEADER);
            if (!RequestIds.acceptable(id)) {
                id = Ids.newId();
            }
            MDC.put(RequestIds.MDC_KEY, id);
            rc.put(RequestIds.MDC_KEY, id);
            rc.response().putHeader(RequestIds.HEADER, id);
            rc.next();
        }, PRIORITY);
    }
}
