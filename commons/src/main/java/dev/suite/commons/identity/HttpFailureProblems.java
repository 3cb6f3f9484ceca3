package dev.suite.commons.identity;

import dev.suite.commons.problem.EarlyErrors;
import dev.suite.commons.problem.ProblemType;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Problem bodies for failures that happen before a request reaches a resource: authentication
 * (401 with {@code WWW-Authenticate}) and bodies over the size limit that Vert.x caught (413).
 */
@ApplicationScoped
public class HttpFailureProblems {

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
        } else {
            rc.next();
        }
    }
}
