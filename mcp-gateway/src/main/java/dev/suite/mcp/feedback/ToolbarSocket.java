package dev.suite.mcp.feedback;

import dev.suite.mcp.protocol.JsonRpc;
import dev.suite.mcp.upstream.GatewayInfo;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocketConnection;
import io.quarkus.websockets.next.WebSocket;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;

/**
 * {@code /ws/toolbar}: a small JSON-RPC protocol for browser toolbars. {@code getSessionInfo}
 * names the user and the gateway; {@code triggerAgentPrompt {prompt, url?, selectedElements?,
 * text?}} broadcasts the prompt with its page context to every replica, which hands it to the
 * user's open feedback pages and to their MCP clients listening on the aggregate.
 */
@WebSocket(path = "/ws/toolbar")
public class ToolbarSocket {

    private static final int MAX_PROMPT = 64 * 1024;

    @Inject
    SecurityIdentity identity;
    @Inject
    FeedbackHub hub;
    @Inject
    SocketUsers users;

    @OnOpen
    public Uni<Void> open(WebSocketConnection connection) {
        return users.owner(identity, connection).chain(ownerId -> ownerId != null ? Uni.createFrom().voidItem()
                : connection.close(new CloseReason(1008,
                        "authenticate the upgrade, or open with ?ticket= from POST /api/mcp/feedback/socket-ticket")));
    }

    @OnTextMessage
    public Uni<String> message(String text, WebSocketConnection connection) {
        JsonObject request;
        try {
            request = new JsonObject(text);
        } catch (DecodeException e) {
            return Uni.createFrom().item(JsonRpc.error(null, JsonRpc.PARSE_ERROR, "Parse error", null).encode());
        }
        Object id = request.getValue("id");
        Object params = request.getValue("params");
        JsonObject args = params instanceof JsonObject object ? object : new JsonObject();
        String ownerId = SocketUsers.ownerOf(connection);
        return switch (String.valueOf(request.getValue("method"))) {
            case "getSessionInfo" -> Uni.createFrom().item(JsonRpc.result(id, new JsonObject()
                    .put("user", ownerId).put("gateway", GatewayInfo.server("Suite MCP gateway"))
                    .put("feedback_page", "/feedback/")).encode());
            case "triggerAgentPrompt" -> trigger(id, ownerId, args);
            default -> Uni.createFrom().item(JsonRpc.error(id, JsonRpc.METHOD_NOT_FOUND, "Method not found", null).encode());
        };
    }

    private Uni<String> trigger(Object id, String ownerId, JsonObject args) {
        Object prompt = args.getValue("prompt");
        if (!(prompt instanceof String text) || text.isBlank() || text.length() > MAX_PROMPT) {
            return Uni.createFrom().item(JsonRpc.error(id, JsonRpc.INVALID_PARAMS,
                    "prompt must be a non-empty string of at most " + MAX_PROMPT + " characters", null).encode());
        }
        JsonObject context = new JsonObject().put("prompt", text);
        if (args.getValue("url") instanceof String url) {
            context.put("url", url);
        }
        if (args.getValue("text") instanceof String selected) {
            context.put("text", selected);
        }
        if (args.getValue("selectedElements") instanceof JsonArray elements) {
            context.put("selected_elements", elements);
        }
        return hub.prompt(ownerId, context)
                .replaceWith(JsonRpc.result(id, new JsonObject().put("delivered", true)).encode());
    }
}
