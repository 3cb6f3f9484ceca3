package dev.suite.commons.problem;

import dev.suite.commons.request.RequestIds;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** Builds {@code application/problem+json} responses for JAX-RS resources and Vert.x routes alike. */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    public static Problem problem(ProblemType type, String detail, List<FieldError> errors, String instance,
            Integer upstreamStatus) {
        return new Problem(type.uri(), type.title(), type.status(), detail, instance,
                errors == null || errors.isEmpty() ? null : errors, RequestIds.current(), upstreamStatus);
    }

    public static Response response(ProblemException e, String instance) {
        Response.ResponseBuilder builder = Response.status(e.type().status())
                .type(Problem.MEDIA_TYPE)
                .entity(problem(e.type(), e.getMessage(), e.errors(), instance, e.upstreamStatus()));
        if (e.retryAfter() != null) {
            builder.header(HttpHeaders.RETRY_AFTER, Math.max(1, (e.retryAfter().toMillis() + 999) / 1000));
        }
        if (e.type() == ProblemType.UNAUTHORIZED) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"suite\"");
        }
        return builder.build();
    }

    /** The same problem written on a Vert.x response, for routes that are not JAX-RS resources. */
    public static void end(HttpServerResponse response, ProblemException e, String instance) {
        response.setStatusCode(e.type().status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (e.retryAfter() != null) {
            response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (e.retryAfter().toMillis() + 999) / 1000)));
        }
        response.end(Json.encode(problem(e.type(), e.getMessage(), e.errors(), instance, e.upstreamStatus())));
    }

    public static Response response(ProblemType type, String detail, String instance) {
        return response(new ProblemException(type, detail, null, null, null), instance);
    }
}
