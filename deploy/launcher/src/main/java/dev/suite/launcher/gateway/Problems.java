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

    /** A header value as it may appear in a problem: short, and only printable ASCII. */
    static String printable(String value) {
        String shown = value == null ? "" : value.replaceAll("[^\\x20-\\x7e]", "?");
        return shown.length() > 100 ? shown.substring(0, 100) + "…" : shown;
    }

    static void send(HttpServerRequest request, int status, String title, String detail) {
        String path = request.path();
        // The request body (if any) is not read: let it drain rather than stall the connection.
        request.resume();
        request.response()
                .setStatusCode(status)
                .putHeader("Content-Type", CONTENT_TYPE)
                .end(body(status, title, detail, path == null || path.length() > 1024 ? null : path));
    }
}
