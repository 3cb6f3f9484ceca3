package dev.suite.launcher.gateway;

import dev.suite.launcher.supervise.ServiceDirectory;
import dev.suite.launcher.supervise.ServiceDirectory.Endpoint;
import dev.suite.launcher.supervise.ServiceState;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway's own health routes, one instance per gateway event loop:
 * <ul>
 * <li>{@code /q/health[/live|/ready]}: probes in MicroProfile Health's shape (ready while every
 *     service is);</li>
 * <li>{@code GET /api/health}: the suite at a glance for desktop shells and front ends (design notes
 *     000 and 001) — overall status and each service's state and port;</li>
 * <li>{@code GET /api/health/events}: the same as server-sent events, pushed as services change
 *     state, so a shell need not poll.</li>
 * </ul>
 * Open without credentials, like {@code /q/health}: it says which services run, nothing more.
 */
final class HealthRoutes {

    static final String SUMMARY = "/api/health";
    static final String EVENTS = "/api/health/events";
    /** Below the idle timeouts of proxies and browsers, so a quiet stream stays open. */
    private static final long KEEP_ALIVE_MS = 15_000;

    private final Vertx vertx;
    private final Context context;
    private final RouteTable routes;
    private final ServiceDirectory directory;
    /** Open event streams of this event loop; touched only on its context. */
    private final Set<HttpServerResponse> streams = new HashSet<>();
    private Runnable stopListening;
    private long keepAlive = -1;

    HealthRoutes(Vertx vertx, Context context, RouteTable routes, ServiceDirectory directory) {
        this.vertx = vertx;
        this.context = context;
        this.routes = routes;
        this.directory = directory;
    }

    void start() {
        stopListening = directory.listen((service, endpoint) -> context.runOnContext(v -> changed(service, endpoint)));
        keepAlive = vertx.setPeriodic(KEEP_ALIVE_MS, id -> send(": keep-alive\n\n"));
    }

    void stop() {
        stopListening.run();
        vertx.cancelTimer(keepAlive);
        // Ending a stream runs its end handler, which removes it from the set: end a copy.
        List.copyOf(streams).forEach(HttpServerResponse::end);
    }

    static boolean handles(String path) {
        return path.equals("/q/health") || path.startsWith("/q/health/") || path.equals(SUMMARY) || path.equals(EVENTS);
    }

    void handle(HttpServerRequest request) {
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            request.response().putHeader("Allow", "GET, HEAD");
            Problems.send(request, 405, "Method Not Allowed", "Health routes answer GET only.");
            return;
        }
        request.resume();
        switch (request.path()) {
            case SUMMARY -> json(request, summary().getString("status").equals("up") ? 200 : 503, summary());
            case EVENTS -> stream(request);
            default -> probe(request);
        }
    }

    /** MicroProfile Health's shape: live while the gateway runs; ready while every service is ready. */
    private void probe(HttpServerRequest request) {
        boolean liveOnly = request.path().equals("/q/health/live");
        JsonArray checks = new JsonArray();
        boolean up = true;
        if (!liveOnly) {
            for (String service : routes.services()) {
                Optional<Endpoint> endpoint = directory.get(service);
                boolean ready = ready(endpoint);
                up &= ready;
                checks.add(new JsonObject()
                        .put("name", service)
                        .put("status", ready ? "UP" : "DOWN")
                        .put("data", new JsonObject()
                                .put("state", state(endpoint))
                                .put("port", endpoint.map(Endpoint::port).orElse(null))));
            }
        }
        json(request, up ? 200 : 503, new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", checks));
    }

    /** The suite's health in the shape of a service's {@code /api/health}, one component per service. */
    private JsonObject summary() {
        JsonArray components = new JsonArray();
        boolean up = true;
        for (String service : routes.services()) {
            Optional<Endpoint> endpoint = directory.get(service);
            up &= ready(endpoint);
            components.add(component(service, endpoint));
        }
        return new JsonObject().put("service", "gateway").put("status", up ? "up" : "down").put("components", components);
    }

    private void stream(HttpServerRequest request) {
        HttpServerResponse response = request.response()
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache");
        response.write("retry: 2000\n\n" + event("health", summary()));
        streams.add(response);
        response.closeHandler(v -> streams.remove(response));
        response.endHandler(v -> streams.remove(response));
    }

    private void changed(String service, Endpoint endpoint) {
        if (!streams.isEmpty() && routes.services().contains(service)) {
            send(event("service", component(service, Optional.of(endpoint))));
        }
    }

    /** To every open stream; one whose client left is skipped (its close handler drops it). */
    private void send(String text) {
        for (HttpServerResponse stream : streams) {
            if (!stream.closed()) {
                stream.write(text);
            }
        }
    }

    private static JsonObject component(String service, Optional<Endpoint> endpoint) {
        return new JsonObject()
                .put("name", service)
                .put("status", ready(endpoint) ? "up" : "down")
                .put("state", state(endpoint))
                .put("port", endpoint.map(Endpoint::port).orElse(null));
    }

    private static String event(String name, JsonObject data) {
        return "event: " + name + "\ndata: " + data.encode() + "\n\n";
    }

    private static boolean ready(Optional<Endpoint> endpoint) {
        return endpoint.map(found -> found.state() == ServiceState.READY).orElse(false);
    }

    private static String state(Optional<Endpoint> endpoint) {
        return endpoint.map(found -> found.state().label()).orElse("not started");
    }

    private static void json(HttpServerRequest request, int status, JsonObject body) {
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toBuffer());
    }
}
