package dev.suite.mcp;

import dev.suite.commons.testing.Bytewise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A stateless 2026-07-28 MCP server, faithful to the transport rules the gateway relies on:
 * POST only (GET and DELETE are 405), no sessions, every request must carry the protocol version
 * in {@code _meta} and in {@code MCP-Protocol-Version}, plus {@code Mcp-Method} and
 * {@code Mcp-Name} mirroring the body (else -32020); {@code initialize} is refused with -32022.
 * Tools: {@code echo} and {@code slow} (three progress notifications on an event stream, then the result).
 */
public final class ModernFakeServer implements AutoCloseable {

    public static final String VERSION = "2026-07-28";

    /** Every request body the server received, with the headers that matter. */
    public record Seen(JsonObject body, String method, String name, String version) {
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    public final List<Seen> seen = new CopyOnWriteArrayList<>();

    public ModernFakeServer() {
        server = vertx.createHttpServer().requestHandler(this::handle);
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/mcp";
    }

    private void handle(HttpServerRequest request) {
        if (request.method().name().equals("GET") || request.method().name().equals("DELETE")) {
            request.response().setStatusCode(405).putHeader("Allow", "POST").end();
            return;
        }
        request.body().onSuccess(buffer -> {
            JsonObject message = buffer.toJsonObject();
            String version = request.getHeader("MCP-Protocol-Version");
            seen.add(new Seen(message, request.getHeader("Mcp-Method"), request.getHeader("Mcp-Name"), version));
            Object id = message.getValue("id");
            String method = message.getString("method");
            JsonObject params = message.getJsonObject("params", new JsonObject());
            JsonObject meta = params.getJsonObject("_meta", new JsonObject());
            if ("initialize".equals(method) || (version != null && !VERSION.equals(version))) {
                error(request, 400, id, -32022, "Unsupported protocol version", new JsonObject()
                        .put("supported", new JsonArray().add(VERSION))
                        .put("requested", version == null ? params.getString("protocolVersion") : version));
                return;
            }
            if (version == null || !VERSION.equals(meta.getString("io.modelcontextprotocol/protocolVersion"))
                    || !method.equals(request.getHeader("Mcp-Method"))) {
                error(request, 400, id, -32020, "Header mismatch", null);
                return;
            }
            if (!message.containsKey("id")) {
                request.response().setStatusCode(202).end();
                return;
            }
            switch (method) {
                case "server/discover" -> result(request, id, new JsonObject()
                        .put("supportedVersions", new JsonArray().add(VERSION))
                        .put("capabilities", new JsonObject().put("tools", new JsonObject().put("listChanged", true)))
                        .put("ttlMs", 60000).put("cacheScope", "public")
                        .put("_meta", new JsonObject().put("io.modelcontextprotocol/serverInfo",
                                new JsonObject().put("name", "modern-fake").put("version", "1.0.0"))));
                case "tools/list" -> result(request, id, new JsonObject().put("tools", new JsonArray()
                        .add(tool("echo")).add(tool("slow")).add(tool("bytewise"))));
                case "tools/call" -> call(request, id, params);
                default -> error(request, 404, id, -32601, "Method not found", null);
            }
        });
    }

    private void call(HttpServerRequest request, Object id, JsonObject params) {
        String name = params.getString("name");
        if (!name.equals(request.getHeader("Mcp-Name"))) {
            error(request, 400, id, -32020, "Header mismatch: Mcp-Name", null);
            return;
        }
        JsonObject arguments = params.getJsonObject("arguments", new JsonObject());
        JsonObject text = new JsonObject().put("content", new JsonArray().add(new JsonObject().put("type", "text")
                .put("text", "modern: " + arguments.getString("message", ""))));
        if (name.equals("bytewise")) {
            // One byte per write with a pause between: multi-byte characters straddle the reader's buffers.
            String event = "data: " + new JsonObject().put("jsonrpc", "2.0").put("id", id)
                    .put("result", text.put("resultType", "complete")).encode() + "\n\n";
            Bytewise.write(vertx, request.response().setChunked(true).putHeader("Content-Type", "text/event-stream"), event);
            return;
        }
        if (!name.equals("slow")) {
            result(request, id, text);
            return;
        }
        Object token = params.getJsonObject("_meta", new JsonObject()).getValue("progressToken");
        var response = request.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
        for (int step = 1; step <= 3; step++) {
            int current = step;
            vertx.setTimer(100L * step, t -> response.write("data: " + new JsonObject().put("jsonrpc", "2.0")
                    .put("method", "notifications/progress").put("params", new JsonObject()
                            .put("progressToken", token).put("progress", current).put("total", 3)).encode() + "\n\n"));
        }
        vertx.setTimer(450, t -> response.end("data: " + new JsonObject().put("jsonrpc", "2.0").put("id", id)
                .put("result", text.put("resultType", "complete")).encode() + "\n\n"));
    }

    private static JsonObject tool(String name) {
        return new JsonObject().put("name", name).put("inputSchema", new JsonObject().put("type", "object")
                .put("properties", new JsonObject().put("message", new JsonObject().put("type", "string"))));
    }

    private static void result(HttpServerRequest request, Object id, JsonObject result) {
        request.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("jsonrpc", "2.0")
                .put("id", id).put("result", result.put("resultType", "complete")).encode());
    }

    private static void error(HttpServerRequest request, int status, Object id, int code, String message, Object data) {
        JsonObject error = new JsonObject().put("code", code).put("message", message);
        if (data != null) {
            error.put("data", data);
        }
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("jsonrpc", "2.0").put("id", id).put("error", error).encode());
    }

    @Override
    public void close() {
        vertx.close();
    }
}
