package dev.suite.commons.identity;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.RequestScoped;

/** The id of the user the current request acts for: the owner of every row it reads or writes. */
@RequestScoped
public class CurrentUser {

    private final SecurityIdentity identity;

    public CurrentUser(SecurityIdentity identity) {
        this.identity = identity;
    }

    public String id() {
        if (identity.isAnonymous()) {
            // Paths under /api and /v1 require authentication, so reaching here is a wiring mistake.
            throw new IllegalStateException("no authenticated user on this request");
        }
        return identity.getPrincipal().getName();
    }

    /** The user of a request served by a plain Vert.x route (authenticated like any other). */
    public static String of(RoutingContext request) {
        return ((QuarkusHttpUser) request.user()).getSecurityIdentity().getPrincipal().getName();
    }
}
