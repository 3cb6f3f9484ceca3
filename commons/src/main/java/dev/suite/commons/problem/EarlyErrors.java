package dev.suite.commons.problem;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Writes errors that happen before a request reaches its route (authentication, body size). Our
 * APIs answer RFC 9457 problems; paths a service lists in {@code suite.errors.openai-paths} (an
 * OpenAI-compatible API such as llm-service's {@code /v1/}) answer OpenAI's error shape, which
 * OpenAI client libraries know how to report.
 */
@ApplicationScoped
public class EarlyErrors {

    private final List<String> openAiPaths;

    public EarlyErrors(ErrorsConfig config) {
        this.openAiPaths = config.openaiPaths().orElse(List.of());
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
        if (isOpenAiPath(rc.request().path())) {
            end(rc, e.type(), e.getMessage());
        } else {
            ProblemResponses.end(rc.response(), e, rc.request().path());
        }
    }

    private boolean isOpenAiPath(String path) {
        return path != null && openAiPaths.stream().anyMatch(path::startsWith);
    }

    public void end(RoutingContext rc, ProblemType type, String detail) {
        String path = rc.request().path();
        rc.response().setStatusCode(type.status());
        if (isOpenAiPath(path)) {
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
}
