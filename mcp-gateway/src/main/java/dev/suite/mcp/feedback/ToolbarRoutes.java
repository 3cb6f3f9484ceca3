package dev.suite.mcp.feedback;

import dev.suite.commons.problem.EarlyErrors;
import dev.suite.commons.problem.ProblemType;
import dev.suite.mcp.upstream.GatewayInfo;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Instant;

/**
 * What the toolbar listener answers, as stagewise-style toolbars expect: {@code GET /ping/stagewise}
 * (the text {@code stagewise}) and {@code GET /health} while they scan ports, then the toolbar
 * WebSocket at {@code /} (or {@code /ws/toolbar}), the same endpoint and authentication as
 * {@code /ws/toolbar} on the main port. Anything else there is a 404: the API is the main port's.
 * A filter of the gateway's router, after the perimeter, so that foreign hosts and origins are
 * refused here exactly as on the main port.
 */
@ApplicationScoped
public class ToolbarRoutes {

    /** After the perimeter (9 500), before authentication and the routes. */
    private static final int PRIORITY = 9_400;
    private static final String SOCKET = "/ws/toolbar";

    private final ToolbarPort listener;
    private final EarlyErrors errors;

    public ToolbarRoutes(ToolbarPort listener, EarlyErrors errors) {
        this.listener = listener;
        this.errors = errors;
    }

    void register(@Observes Filters filters) {
        filters.register(this::route, PRIORITY);
    }

    private void route(RoutingContext rc) {
        if (!listener.received(rc.request())) {
            rc.next();
            return;
        }
        String path = rc.normalizedPath();
        boolean get = rc.request().method() == HttpMethod.GET;
        if (get && "/ping/stagewise".equals(path)) {
            rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end("stagewise");
        } else if (get && "/health".equals(path)) {
            rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(new JsonObject()
                    .put("status", "ok").put("service", "mcp-gateway").put("version", GatewayInfo.VERSION)
                    .put("port", rc.request().localAddress().port()).put("timestamp", Instant.now().toString())
                    .encode());
        } else if (SOCKET.equals(path)) {
            rc.next();
        } else if ("/".equals(path) && isUpgrade(rc)) {
            String query = rc.request().query();
            rc.reroute(SOCKET + (query == null ? "" : "?" + query));
        } else {
            errors.refuse(rc, ProblemType.NOT_FOUND, "The toolbar port serves only GET /ping/stagewise, GET /health "
                    + "and the toolbar WebSocket at / and /ws/toolbar; the API is on the gateway's main port.");
        }
    }

    private static boolean isUpgrade(RoutingContext rc) {
        String upgrade = rc.request().getHeader(HttpHeaders.UPGRADE);
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }
}
