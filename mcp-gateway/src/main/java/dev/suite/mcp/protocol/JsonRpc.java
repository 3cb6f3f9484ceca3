package dev.suite.mcp.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** JSON-RPC 2.0 messages as MCP uses them, and the error codes the gateway answers with. */
public final class JsonRpc {

    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;
    /** Implementation-defined: the upstream server could not be reached or failed. */
    public static final int UPSTREAM_ERROR = -32000;
    /** Implementation-defined: the call ran past its time limit. */
    public static final int TIMEOUT = -32001;
    /** 2026-07-28: a required header is missing or does not match the body. */
    public static final int HEADER_MISMATCH = -32020;
    public static final int MISSING_CLIENT_CAPABILITY = -32021;
    public static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;

    public static final String META_PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
    public static final String META_CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
    public static final String META_CLIENT_INFO = "io.modelcontextprotocol/clientInfo";
    public static final String META_SERVER_INFO = "io.modelcontextprotocol/serverInfo";
    public static final String META_SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";

    private JsonRpc() {
    }

    public static JsonObject request(Object id, String method, JsonObject params) {
        JsonObject message = new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", method);
        return params == null ? message : message.put("params", params);
    }

    public static JsonObject notification(String method, JsonObject params) {
        JsonObject message = new JsonObject().put("jsonrpc", "2.0").put("method", method);
        return params == null ? message : message.put("params", params);
    }

    public static JsonObject result(Object id, JsonObject result) {
        return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("result", result);
    }

    public static JsonObject error(Object id, int code, String message, Object data) {
        JsonObject error = new JsonObject().put("code", code).put("message", message);
        if (data != null) {
            error.put("data", data);
        }
        return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("error", error);
    }

    public static JsonObject unsupportedVersion(Object id, String requested) {
        return error(id, UNSUPPORTED_PROTOCOL_VERSION, "Unsupported protocol version",
                new JsonObject().put("supported", new JsonArray(McpVersions.ALL)).put("requested", requested));
    }

    public static boolean isRequest(JsonObject message) {
        return message.containsKey("method") && message.containsKey("id") && message.getValue("id") != null;
    }

    public static boolean isNotification(JsonObject message) {
        return message.containsKey("method") && !message.containsKey("id");
    }

    public static boolean isResponse(JsonObject message) {
        return !message.containsKey("method") && (message.containsKey("result") || message.containsKey("error"));
    }

    /** A request's progress token, from {@code params._meta.progressToken}; null when it asked for none. */
    public static Object progressToken(JsonObject message) {
        JsonObject params = message.getJsonObject("params");
        JsonObject meta = params == null ? null : params.getJsonObject("_meta");
        return meta == null ? null : meta.getValue("progressToken");
    }
}
