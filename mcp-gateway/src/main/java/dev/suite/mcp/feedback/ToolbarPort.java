package dev.suite.mcp.feedback;

import dev.suite.commons.identity.AuthConfig;
import dev.suite.commons.identity.AuthMode;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.OptionalInt;

/**
 * The listener browser toolbars find on a well-known port (5748, {@code suite.toolbar.port}): on by
 * default in {@code local} mode, off otherwise unless {@code suite.toolbar.enabled}. A taken port
 * does not stop the gateway — two replicas on one machine must both start — it takes a free one and
 * says so in the log. Every request goes through the gateway's own router, so the perimeter and
 * authentication are the main port's; {@link ToolbarRoutes} says what this port answers.
 */
@ApplicationScoped
public class ToolbarPort {

    private static final Logger LOG = Logger.getLogger(ToolbarPort.class);

    private final boolean enabled;
    private final int wanted;
    private final String host;
    private final Vertx vertx;
    private volatile HttpServer server;
    /** The port requests of this listener arrive on; 0 while it has none. */
    private volatile int listening;

    public ToolbarPort(ToolbarConfig config, AuthConfig auth, @ConfigProperty(name = "quarkus.http.host") String host,
            Vertx vertx) {
        this.enabled = config.enabled().orElse(auth.mode() == AuthMode.LOCAL);
        this.wanted = config.port();
        this.host = host;
        this.vertx = vertx;
    }

    void start(@Observes Router router) {
        if (!enabled) {
            return;
        }
        // Known before the bind, so that a request arriving at once is already recognised as the toolbar's.
        // (On a fallback port one arriving before the callback below is answered as on the main port:
        // behind the same perimeter and authentication, so no more than that port offers anyway.)
        listening = wanted;
        listen(router, wanted)
                .recover(refused -> {
                    if (wanted == 0) {
                        return Future.failedFuture(refused);
                    }
                    return listen(router, 0).onSuccess(s -> LOG.warnf("Toolbar port %d is not available (%s): the "
                            + "toolbar listener is on port %d instead. Toolbars looking for port %d will not find "
                            + "this gateway there.", wanted, refused.getMessage(), s.actualPort(), wanted));
                })
                .onSuccess(s -> {
                    server = s;
                    listening = s.actualPort();
                    LOG.infof("Toolbar listener on http://%s:%d/ (GET /ping/stagewise, GET /health, WebSocket at / "
                            + "and /ws/toolbar)", host, s.actualPort());
                })
                .onFailure(e -> {
                    listening = 0;
                    LOG.errorf("No toolbar listener: %s", e.getMessage());
                });
    }

    private Future<HttpServer> listen(Router router, int port) {
        return vertx.createHttpServer().requestHandler(router).listen(port, host);
    }

    /** The port the listener is bound to, once it is. */
    public OptionalInt port() {
        HttpServer bound = server;
        return bound == null ? OptionalInt.empty() : OptionalInt.of(bound.actualPort());
    }

    /** Whether a request came in through this listener rather than the main port. */
    boolean received(HttpServerRequest request) {
        int port = listening;
        return port != 0 && request.localAddress() != null && request.localAddress().port() == port;
    }

    void stop(@Observes ShutdownEvent event) {
        HttpServer bound = server;
        if (bound != null) {
            bound.close();
        }
    }
}
