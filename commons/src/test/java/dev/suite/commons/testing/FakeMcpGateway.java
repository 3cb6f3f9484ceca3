package dev.suite.commons.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A faithful stand-in for mcp-gateway's {@code POST /api/mcp/servers/{id}/tools/{name}/call}: the
 * arguments object in, MCP's CallToolResult out, and the gateway's problem responses (404 for a
 * server or tool that is not the caller's, 400 for refused arguments, 502 for a failing server).
 * Server {@code srv-1} has {@code echo} (returns its {@code message}), {@code fail} (an isError
 * result) and {@code strict} (refuses arguments without {@code n}); server {@code srv-dead} is
 * unreachable. It can be stopped and started again on the same port.
 */
public final class FakeMcpGateway {

    private final Vertx vertx;
    private HttpServer server;
    private int port;
    public final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    public volatile String lastAuthorization;
    /** The {@code traceparent} header of each call ("null" when none came), in order. */
    public final List<String> traceparents = new CopyOnWriteArrayList<>();

    public FakeMcpGateway(Vertx vertx) {
        this.vertx = vertx;
    }

    public int start() throws Exception {
        server = vertx.createHttpServer().requestHandler(this::handle).listen(port, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        port = server.actualPort();
        return port;
    }

    public void stop() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public int calls(String tool) {
        return calls.getOrDefault(tool, new AtomicInteger()).get();
    }

    private void handle(HttpServerRequest request) {
        String[] parts = request.path().split("/");
        // /api/mcp/servers/{id}/tools/{name}/call
        if (parts.length != 8 || !"call".equals(parts[7]) || !request.method().name().equals("POST")) {
            problem(request, 404, "Not found.");
            return;
        }
        String serverId = parts[4];
        String tool = parts[6];
        lastAuthorization = request.getHeader("Authorization");
        traceparents.add(String.valueOf(request.getHeader("traceparent")));
        request.body().onSuccess(body -> {
            calls.computeIfAbsent(tool, k -> new AtomicInteger()).incrementAndGet();
            JsonObject args = body.length() == 0 ? new JsonObject() : body.toJsonObject();
            if (serverId.equals("srv-dead")) {
                problem(request, 502, "The MCP server is unreachable: connection refused");
                return;
            }
            if (!serverId.equals("srv-1")) {
                problem(request, 404, "MCP server not found.");
                return;
            }
            switch (tool) {
                case "echo" -> result(request, new JsonObject().put("content", new JsonArray().add(new JsonObject()
                        .put("type", "text").put("text", "Echo: " + args.getString("message", "")))).put("isError", false));
                case "fail" -> result(request, new JsonObject().put("content", new JsonArray().add(new JsonObject()
                        .put("type", "text").put("text", "the tool failed"))).put("isError", true));
                case "strict" -> {
                    if (!args.containsKey("n")) {
                        problem(request, 400, "MCP error -32602: missing required argument n");
                    } else {
                        result(request, new JsonObject().put("content", new JsonArray()).put("structuredContent",
                                new JsonObject().put("n", args.getValue("n"))).put("isError", false));
                    }
                }
                default -> problem(request, 404, "Tool '" + tool + "' not found.");
            }
        });
    }

    private static void result(HttpServerRequest request, JsonObject result) {
        request.response().putHeader("Content-Type", "application/json").end(result.encode());
    }

    private static void problem(HttpServerRequest request, int status, String detail) {
        request.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json")
                .end(new JsonObject().put("type", "urn:suite:problem:x").put("title", "Problem").put("status", status)
                        .put("detail", detail).encode());
    }
}
