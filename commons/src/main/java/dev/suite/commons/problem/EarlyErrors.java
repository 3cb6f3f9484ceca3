package dev.suite.commons.problem;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Writes errors that happen before a request reaches its route (authentication, body size). Our
 * APIs answer RFC 9457 problems; paths a service lists in {@code suite.errors.openai-paths} (an
 * OpenAI-compatible API such as llm-service's {@code /v1/}) answer OpenAI's error shape, and those
 * in {@code suite.errors.anthropic-paths} ({@code /v1/messages}) Anthropic's, which their client
 * libraries know how to report.
 */
@ApplicationScoped
public class EarlyErrors {

    private final List<String> openAiPaths;
    private final List<String> anthropicPaths;

    public EarlyErrors(ErrorsConfig config) {
        this.openAiPaths = config.openaiPaths().orElse(List.of());
        this.anthropicPaths = config.anthropicPaths().orElse(List.of());
    }

    /**
     * Refuses a request before its body is read: the connection closes after the answer, rather
     * than leave the unread body for the next request on it to trip over.
     */
    public void refuse(RoutingContext rc, ProblemType type, String detail) {
        rc.response().putHeader(HttpHeaders.CONNECTION, "close");
        rc.request().resume();
        end(rc, type, detail);
    }

    /** A problem raised by a Vert.x route, with its field errors and {@code Retry-After}. */
    public void end(RoutingContext rc, ProblemException e) {
        String path = rc.request().path();
        if (under(anthropicPaths, path) || under(openAiPaths, path)) {
            end(rc, e.type(), e.getMessage());
        } else {
            ProblemResponses.end(rc.response(), e, rc.request().path());
        }
    }

    private static boolean under(List<String> prefixes, String path) {
        return path != null && prefixes.stream().anyMatch(path::startsWith);
    }

    public void end(RoutingContext rc, ProblemType type, String detail) {
        String path = rc.request().path();
        rc.response().setStatusCode(type.status());
        if (under(anthropicPaths, path)) {
            JsonObject error = new JsonObject().put("type", anthropicType(type.status())).put("message", detail);
            rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(new JsonObject().put("type", "error").put("error", error).encode());
            return;
        }
        if (under(openAiPaths, path)) {
            JsonObject error = new JsonObject()
                    .put("message", detail)
                    .put("type", type == ProblemType.UNAUTHORIZED ? "authentication_error" : "invalid_request_error")
                    .putNull("param")
                    .put("code", type == ProblemType.UNAUTHORIZED ? "invalid_api_key" : type.name().toLowerCase());
            rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(new JsonObject().put("error", error).encode());
            return;
        }
        Problem problem = ProblemResponses.problem(type, detail, null, path, null);
        rc.response().putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(io.vertx.core.json.Json.encode(problem));
    }

    /** Anthropic's error type for a status, as Anthropic's client libraries classify them. */
    public static String anthropicType(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }
}
