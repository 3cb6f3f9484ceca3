package dev.suite.llm.chat;

import io.vertx.core.http.HttpServerResponse;

import java.time.Duration;

/**
 * A failed chat call, answered with its HTTP status in the error shape of the API the client
 * called (OpenAI's {@code {"error": {"message", "type", "code"}}} on Chat Completions).
 */
public class ChatException extends RuntimeException {

    private final int status;
    private final String type;
    private final String code;
    private final Duration retryAfter;
    /** Whether trying again (the same config, later) may succeed: connect errors, 429, 5xx, timeouts. */
    private final boolean retryable;

    public ChatException(int status, String type, String code, String message, Duration retryAfter,
            boolean retryable) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.retryAfter = retryAfter;
        this.retryable = retryable;
    }

    public static ChatException invalidRequest(String message) {
        return new ChatException(400, "invalid_request_error", null, message, null, false);
    }

    public static ChatException modelNotFound(String model) {
        return new ChatException(404, "invalid_request_error", "model_not_found",
                "The model '" + model + "' does not exist or you do not have access to it.", null, false);
    }

    public static ChatException timeout(String message) {
        return new ChatException(504, "timeout_error", "upstream_timeout", message, null, true);
    }

    public static ChatException unreachable(String message) {
        return new ChatException(502, "upstream_error", "upstream_unreachable", message, null, true);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    public boolean retryable() {
        return retryable;
    }

    /** Answers the client with this error's status, its {@code Retry-After} if any, and {@code body} (the API's error shape). */
    public void answer(HttpServerResponse response, String body) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status).putHeader("Content-Type", "application/json");
        if (retryAfter != null) {
            response.putHeader("Retry-After", Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
        }
        response.end(body);
    }
}
