package dev.suite.workflow.nodes.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.workflow.nodes.NodeFailure;

import java.net.ConnectException;

/**
 * Failures of the services and sites nodes call, as node failures: refusals (4xx) are permanent —
 * another attempt would be refused again — except 408 and 429; the upstream being away, failing
 * (5xx) or timing out is worth a retry.
 */
final class UpstreamFailures {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private UpstreamFailures() {
    }

    static NodeFailure of(String upstream, Throwable e) {
        if (e instanceof NodeFailure failure) {
            return failure;
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        if (cause instanceof ConnectException || e instanceof ConnectException) {
            return NodeFailure.transientFailure(upstream + " is unreachable: " + cause.getMessage());
        }
        return NodeFailure.transientFailure(upstream + " call failed: " + cause.getMessage());
    }

    /** A non-2xx answer; the detail is taken from a problem or OpenAI error body when there is one. */
    static NodeFailure status(String upstream, int status, String body) {
        String detail = detail(body);
        String message = upstream + " answered " + status + (detail.isEmpty() ? "" : ": " + detail);
        boolean retryable = status >= 500 || status == 408 || status == 429;
        return new NodeFailure(message, retryable);
    }

    private static String detail(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode json = MAPPER.readTree(body);
            if (json.path("error").hasNonNull("message")) {
                return json.path("error").get("message").asText();
            }
            if (json.hasNonNull("detail")) {
                return json.get("detail").asText();
            }
        } catch (Exception e) {
            // not JSON: the text itself
        }
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }
}
