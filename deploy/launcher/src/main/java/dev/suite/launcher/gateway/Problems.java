package dev.suite.launcher.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/** The gateway's own error answers, in the suite's RFC 9457 problem shape. */
final class Problems {

    static final String CONTENT_TYPE = "application/problem+json";

    private Problems() {
    }

    static Buffer body(int status, String title, String detail, String instance) {
        return new JsonObject()
                .put("type", "about:blank")
                .put("title", title)
                .put("status", status)
                .put("detail", detail)
                .put("instance", instance)
                .toBuffer();
    }

    static void send(HttpServerRequest request, int status, String title, String detail) {
        // The request body (if any) is not read: let it drain rather than stall the connection.
        request.resume();
        request.response()
                .setStatusCode(status)
                .putHeader("Content-Type", CONTENT_TYPE)
                .end(body(status, title, detail, request.path()));
    }
}
