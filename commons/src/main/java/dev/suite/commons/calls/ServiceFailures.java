package dev.suite.commons.calls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.ProblemType;
import org.jboss.logging.Logger;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A failed call to another service of the suite, as the problem its caller answers. Without an
 * answer: the service unreachable is a 503, no answer in time a 504, anything else a 502. With an
 * answer the caller does not pass on: its credentials refused is a 502, the service's own 503 and
 * 504 stay what they are, any other status a 502 — each keeping the service's status as
 * {@code upstream_status} and its detail. The network's own words (addresses, ports) go to the
 * log, not to the caller.
 */
public final class ServiceFailures {

    private static final Logger LOG = Logger.getLogger(ServiceFailures.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    private static final int MAX_DETAIL = 300;

    private ServiceFailures() {
    }

    /** A call that got no answer: refused, cut or timed out. */
    public static ProblemException transport(String service, Throwable e) {
        if (e instanceof ProblemException problem) {
            return problem;
        }
        LOG.warnf("%s call failed: %s", service, rootCause(e).toString());
        if (unreachable(e)) {
            return ProblemException.unavailable(service + " is unreachable; try again shortly.", RETRY_AFTER);
        }
        if (timedOut(e)) {
            return ProblemException.upstreamTimeout(service + " stopped answering.");
        }
        return ProblemException.upstream("The call to " + service + " failed.", null);
    }

    /** An answer with a status the caller does not pass on; {@code body} as the service sent it. */
    public static ProblemException answer(String service, int status, String body) {
        String detail = detail(body);
        String said = detail.isEmpty() ? "" : ": " + detail;
        return switch (status) {
            case 401, 403 -> ProblemException.upstream(service + " refused the forwarded credentials" + said, status);
            case 503 -> new ProblemException(ProblemType.UNAVAILABLE, service + " is unavailable" + said, null,
                    RETRY_AFTER, status);
            case 504 -> new ProblemException(ProblemType.UPSTREAM_TIMEOUT, service + " timed out" + said, null, null,
                    status);
            default -> ProblemException.upstream(service + " answered " + status + said, status);
        };
    }

    /**
     * What a failure body says: a problem's {@code detail}, an OpenAI-shaped {@code error.message},
     * else the text itself, shortened.
     */
    public static String detail(String body) {
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
        return body.length() > MAX_DETAIL ? body.substring(0, MAX_DETAIL) + "…" : body;
    }

    /** True when the connection was refused: nothing reached the service, so a retry is always safe. */
    public static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException) {
                return true;
            }
            if (t instanceof ProblemException problem) {
                return problem.type() == ProblemType.UNAVAILABLE && problem.upstreamStatus() == null;
            }
        }
        return false;
    }

    /** True when the call ran out of time, by our clock or the connection's. */
    public static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TimeoutException || t instanceof io.netty.handler.timeout.TimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")
                    || String.valueOf(t.getMessage()).toLowerCase().contains("timeout")) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
