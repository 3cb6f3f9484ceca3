package dev.suite.workflow.nodes.builtin;

import dev.suite.commons.calls.ServiceFailures;
import dev.suite.commons.problem.ProblemException;
import dev.suite.workflow.nodes.NodeFailure;

/**
 * Failures of the services and sites nodes call, as node failures: refusals (4xx) are permanent —
 * another attempt would be refused again — except 408 and 429; the upstream being away, failing
 * (5xx), timing out or breaking off a stream is worth a retry.
 */
final class UpstreamFailures {

    private UpstreamFailures() {
    }

    /** A failed call to another service of the suite, as {@link ServiceFailures} describes it. */
    static NodeFailure of(String service, Throwable e) {
        if (e instanceof NodeFailure failure) {
            return failure;
        }
        ProblemException problem = ServiceFailures.transport(service, e);
        Integer status = problem.upstreamStatus();
        return new NodeFailure(problem.getMessage(), status == null || retryable(status));
    }

    /** A non-2xx answer of a site; the detail is taken from a problem or OpenAI error body when there is one. */
    static NodeFailure status(String upstream, int status, String body) {
        String detail = ServiceFailures.detail(body);
        return new NodeFailure(upstream + " answered " + status + (detail.isEmpty() ? "" : ": " + detail),
                retryable(status));
    }

    private static boolean retryable(int status) {
        return status < 400 || status >= 500 || status == 408 || status == 429;
    }
}
