package dev.suite.commons.identity;

import dev.suite.commons.problem.EarlyErrors;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.ProblemType;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.Arrays;

/**
 * Problem bodies for failures outside JAX-RS resources (whose exceptions the problem mappers
 * answer): authentication (401 with {@code WWW-Authenticate}), bodies over the size limit that
 * Vert.x caught (413), and whatever else a Vert.x route or filter fails with — never Quarkus'
 * default error page.
 */
@ApplicationScoped
public class HttpFailureProblems {

    private static final Logger LOG = Logger.getLogger(HttpFailureProblems.class);

    private final EarlyErrors errors;
    private final SuiteAuthMechanism mechanism;

    public HttpFailureProblems(EarlyErrors errors, SuiteAuthMechanism mechanism) {
        this.errors = errors;
        this.mechanism = mechanism;
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    private void handle(RoutingContext rc) {
        if (rc.response().headWritten()) {
            rc.next();
            return;
        }
        Throwable failure = rc.failure();
        if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException
                || failure instanceof AuthenticationCompletionException || rc.statusCode() == 401) {
            rc.response().putHeader("WWW-Authenticate", mechanism.challenge());
            errors.end(rc, ProblemType.UNAUTHORIZED, "Missing or invalid credentials: send Authorization: Bearer <key or token>.");
        } else if (rc.statusCode() == 413) {
            errors.end(rc, ProblemType.PAYLOAD_TOO_LARGE, "The request body is larger than this service accepts.");
        } else if (failure instanceof ProblemException problem) {
            errors.end(rc, problem);
        } else if (rc.statusCode() >= 400 && rc.statusCode() < 500) {
            ProblemType type = Arrays.stream(ProblemType.values()).filter(t -> t.status() == rc.statusCode()).findFirst()
                    .orElse(ProblemType.VALIDATION);
            errors.end(rc, type, type.title() + ".");
        } else {
            // Quarkus' own page would name the failure; the log keeps it, with the request id.
            LOG.errorf(failure, "Request to %s failed", rc.request().path());
            errors.end(rc, ProblemType.INTERNAL, "The server could not complete the request; quote the request id "
                    + "when reporting it.");
        }
    }
}
