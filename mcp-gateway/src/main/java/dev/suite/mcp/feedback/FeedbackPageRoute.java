package dev.suite.mcp.feedback;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** {@code /feedback} is the page's address; its files are served under {@code /feedback/}. */
@ApplicationScoped
public class FeedbackPageRoute {

    void register(@Observes Router router) {
        // Vert.x matches /feedback/ here too: only the bare address is redirected.
        router.get("/feedback").handler(rc -> {
            if (rc.request().path().equals("/feedback")) {
                rc.response().setStatusCode(302).putHeader("Location", "/feedback/").end();
            } else {
                rc.next();
            }
        });
    }
}
