package dev.suite.mcp.upstream;

import io.vertx.core.json.JsonObject;

/** How the gateway names itself to upstream servers and to its own clients. */
public final class GatewayInfo {

    public static final String NAME = "suite-mcp-gateway";
    public static final String VERSION = "0.1.0";

    private GatewayInfo() {
    }

    public static JsonObject client() {
        return new JsonObject().put("name", NAME).put("version", VERSION);
    }

    public static JsonObject server(String title) {
        return new JsonObject().put("name", NAME).put("title", title).put("version", VERSION);
    }
}
