package dev.suite.mcp.upstream;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/** Upstream bodies as JSON-RPC messages. */
public final class Bodies {

    private Bodies() {
    }

    /** The body as a JSON object, or null when it is not one. */
    public static JsonObject jsonOrNull(Buffer body) {
        try {
            Object value = body.length() == 0 ? null : Json.decodeValue(body);
            return value instanceof JsonObject object ? object : null;
        } catch (DecodeException e) {
            return null;
        }
    }
}
