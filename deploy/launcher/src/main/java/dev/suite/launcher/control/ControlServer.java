package dev.suite.launcher.control;

import dev.suite.launcher.supervise.Supervisor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How ./suite talks to a running supervisor: a loopback-only HTTP port on a random port, answering
 * only requests that carry the token from the run directory's private supervisor record.
 *
 * <ul>
 *   <li>{@code GET /status}: the supervisor and every service (state, port, pid, uptime, restarts, ready)</li>
 *   <li>{@code POST /services/{name}/restart}: 202, the restart goes on in the background</li>
 *   <li>{@code POST /shutdown}: 202, then every service is stopped and the supervisor exits</li>
 * </ul>
 */
public final class ControlServer {

    private static final Pattern RESTART = Pattern.compile("/services/([a-z0-9-]+)/restart");

    private final Vertx vertx;
    private final Supervisor supervisor;
    private final byte[] token;
    private final Supplier<JsonObject> info;
    private final Runnable shutdown;

    public ControlServer(Vertx vertx, Supervisor supervisor, String token, Supplier<JsonObject> info, Runnable shutdown) {
        this.vertx = vertx;
        this.supervisor = supervisor;
        this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.info = info;
        this.shutdown = shutdown;
    }

    /** Listens on 127.0.0.1 and a port the system picks; answers that port. */
    public Future<Integer> listen() {
        return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                        .setTracingPolicy(TracingPolicy.IGNORE))
                .requestHandler(this::handle)
                .listen()
                .map(HttpServer::actualPort);
    }

    private void handle(HttpServerRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !MessageDigest.isEqual(token, authorization.getBytes(StandardCharsets.UTF_8))) {
            answer(request, 401, new JsonObject().put("error", "the token from supervisor.json is required"));
            return;
        }
        String path = request.path();
        Matcher restart = RESTART.matcher(path);
        if (request.method() == HttpMethod.GET && path.equals("/status")) {
            supervisor.status().onComplete(result -> {
                if (result.succeeded()) {
                    answer(request, 200, new JsonObject().put("supervisor", info.get()).put("services", result.result()));
                } else {
                    answer(request, 500, new JsonObject().put("error", String.valueOf(result.cause().getMessage())));
                }
            });
        } else if (request.method() == HttpMethod.POST && restart.matches()) {
            String service = restart.group(1);
            if (!supervisor.supervises(service)) {
                answer(request, 404, new JsonObject().put("error", "no service named '" + service + "'"));
                return;
            }
            // A restart may take the whole stop grace period: answer now, the caller follows it in /status.
            supervisor.restart(service);
            answer(request, 202, new JsonObject().put("restarting", service));
        } else if (request.method() == HttpMethod.POST && path.equals("/shutdown")) {
            answer(request, 202, new JsonObject().put("stopping", true));
            shutdown.run();
        } else {
            answer(request, 404, new JsonObject().put("error", "no such control route: " + request.method() + " " + path));
        }
    }

    private static void answer(HttpServerRequest request, int status, JsonObject body) {
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toBuffer());
    }
}
