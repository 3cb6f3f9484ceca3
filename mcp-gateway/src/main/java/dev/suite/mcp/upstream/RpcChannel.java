package dev.suite.mcp.upstream;

import dev.suite.commons.problem.ProblemException;
import dev.suite.mcp.protocol.Era;
import dev.suite.mcp.protocol.JsonRpc;
import dev.suite.mcp.protocol.McpVersions;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * JSON-RPC over a channel whose answers come back as separate messages (a process's stdout, an
 * HTTP+SSE event stream): the calls in flight by id, progress routed to its call by token, and
 * the server's own requests refused, since the gateway's client offers no sampling or elicitation.
 */
final class RpcChannel {

    private static final Logger LOG = Logger.getLogger(RpcChannel.class);

    private final Vertx vertx;
    private final String name;
    private final Map<String, PendingCall> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Consumer<JsonObject> notices;

    /** @param notices receives the server's notifications that belong to no call, such as {@code list_changed} */
    RpcChannel(Vertx vertx, String name, Consumer<JsonObject> notices) {
        this.vertx = vertx;
        this.name = name;
        this.notices = notices;
    }

    /** Sends a request through {@code writer} and completes when its response comes back through {@link #receive}. */
    Uni<JsonObject> call(String method, JsonObject params, Consumer<JsonObject> onNotification, CallLimits limits,
            Consumer<JsonObject> writer) {
        long id = ids.incrementAndGet();
        JsonObject body = params == null ? new JsonObject() : params.copy();
        if (onNotification != null) {
            JsonObject meta = body.getJsonObject("_meta", new JsonObject());
            body.put("_meta", meta.put("progressToken", id));
        }
        JsonObject request = JsonRpc.request(id, method, body);
        return Uni.createFrom().emitter(emitter -> {
            PendingCall call = new PendingCall(vertx, emitter, onNotification, limits, name + " " + method);
            String key = String.valueOf(id);
            pending.put(key, call.onDone(() -> pending.remove(key)));
            try {
                writer.accept(request);
            } catch (RuntimeException e) {
                call.fail(e);
            }
        });
    }

    /** Handles one message from the server. */
    void receive(JsonObject message, Consumer<JsonObject> writer) {
        if (JsonRpc.isResponse(message)) {
            PendingCall call = pending.get(String.valueOf(message.getValue("id")));
            if (call != null) {
                call.complete(message);
            }
        } else if (JsonRpc.isRequest(message)) {
            writer.accept(JsonRpc.error(message.getValue("id"), JsonRpc.METHOD_NOT_FOUND,
                    "The gateway's own client does not support " + message.getString("method"), null));
        } else if (JsonRpc.isNotification(message)) {
            Object token = JsonRpc.progressToken(message);
            JsonObject params = message.getJsonObject("params");
            Object target = token != null ? token : params == null ? null : params.getValue("progressToken");
            PendingCall call = target == null ? null : pending.get(String.valueOf(target));
            if (call != null) {
                call.notification(message);
            } else {
                LOG.debugf("%s: notification %s", name, message.getString("method"));
                notices.accept(message);
            }
        }
    }

    /** The channel broke: every call in flight fails with this. */
    void failAll(Throwable failure) {
        pending.values().forEach(call -> call.fail(failure));
    }

    /** The legacy handshake shared by stdio and HTTP+SSE servers. */
    Uni<Upstream.Handshake> initialize(String version, Era era, CallLimits limits,
            Consumer<JsonObject> writer) {
        JsonObject params = new JsonObject()
                .put("protocolVersion", version)
                .put("capabilities", new JsonObject())
                .put("clientInfo", GatewayInfo.client());
        return call("initialize", params, null, limits, writer).map(response -> {
            JsonObject result = response.getJsonObject("result");
            if (result == null) {
                throw ProblemException.upstream(name + " refused initialize: "
                        + response.getJsonObject("error", new JsonObject()).getString("message"), null);
            }
            writer.accept(JsonRpc.notification("notifications/initialized", null));
            return new Upstream.Handshake(era, result.getString("protocolVersion", McpVersions.LATEST_LEGACY),
                    result.getJsonObject("capabilities", new JsonObject()), result.getJsonObject("serverInfo"),
                    result.getString("instructions"));
        });
    }
}
