package dev.suite.commons.calls;

import dev.suite.commons.identity.CurrentUser;
import dev.suite.commons.request.RequestIds;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.RequestScoped;

/** The {@link Caller} of the current request. */
@RequestScoped
public class Callers {

    private final CurrentUser user;
    private final RoutingContext request;

    public Callers(CurrentUser user, RoutingContext request) {
        this.user = user;
        this.request = request;
    }

    public Caller current() {
        return new Caller(user.id(), request.request().getHeader("Authorization"), RequestIds.current());
    }
}
