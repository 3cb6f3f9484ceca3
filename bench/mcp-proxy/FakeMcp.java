import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A fast Streamable HTTP MCP server (2025-11-25, with sessions) offering one tool, {@code echo},
 * answered at once as JSON, so that what the benchmark measures is the path in front of it.
 * Usage: java -cp <vertx classpath> FakeMcp.java <port>
 */
public class FakeMcp {

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        vertx.createHttpServer().requestHandler(req -> {
            if (!req.method().name().equals("POST")) {
                req.response().setStatusCode(405).end();
                return;
            }
            req.body().onSuccess(body -> {
                JsonObject message = body.toJsonObject();
                String method = message.getString("method", "");
                Object id = message.getValue("id");
                if (id == null) {
                    req.response().setStatusCode(202).end();
                    return;
                }
                JsonObject result;
                switch (method) {
                    case "initialize" -> {
                        result = new JsonObject().put("protocolVersion", "2025-11-25")
                                .put("capabilities", new JsonObject().put("tools", new JsonObject()))
                                .put("serverInfo", new JsonObject().put("name", "fake-mcp").put("version", "1"));
                        req.response().putHeader("Mcp-Session-Id", "fake-session-1");
                    }
                    case "tools/list" -> result = new JsonObject().put("tools", new JsonArray().add(new JsonObject()
                            .put("name", "echo").put("inputSchema", new JsonObject().put("type", "object"))));
                    case "tools/call" -> result = new JsonObject().put("content", new JsonArray().add(new JsonObject()
                            .put("type", "text").put("text", "Echo: " + message.getJsonObject("params")
                                    .getJsonObject("arguments", new JsonObject()).getString("message", ""))));
                    case "ping" -> result = new JsonObject();
                    default -> {
                        req.response().setStatusCode(200).putHeader("Content-Type", "application/json")
                                .end(new JsonObject().put("jsonrpc", "2.0").put("id", id).put("error", new JsonObject()
                                        .put("code", -32601).put("message", "Method not found")).encode());
                        return;
                    }
                }
                req.response().putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("jsonrpc", "2.0").put("id", id).put("result", result).encode());
            });
        }).listen(port, "127.0.0.1").onSuccess(s -> System.out.println("fake MCP on " + port));
    }
}
