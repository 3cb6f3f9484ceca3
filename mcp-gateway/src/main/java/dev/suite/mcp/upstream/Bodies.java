package dev.suite.mcp.upstream;

import dev.suite.commons.problem.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/** Reading upstream bodies with a size bound, and parsing them as JSON-RPC. */
public final class Bodies {

    /** A JSON-RPC response or error body larger than this is not a sane MCP answer. */
    static final int MAX_BODY_BYTES = 32 * 1024 * 1024;

    private Bodies() {
    }

    static Future<Buffer> read(HttpClientResponse response, String what) {
        return read(response, what, MAX_BODY_BYTES);
    }

    public static Future<Buffer> read(HttpClientResponse response, String what, int maxBytes) {
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer();
        response.exceptionHandler(e -> promise.tryFail(ProblemException.upstream(what + " broke off its answer: "
                + e.getMessage(), response.statusCode())));
        response.handler(chunk -> {
            if (body.length() + chunk.length() > maxBytes) {
                promise.tryFail(ProblemException.upstream(what + " answered more than " + maxBytes
                        + " bytes.", response.statusCode()));
                response.request().reset();
                return;
            }
            body.appendBuffer(chunk);
        });
        response.endHandler(v -> promise.tryComplete(body));
        return promise.future();
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
