package dev.suite.mcp.feedback;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * The optional second listener for browser toolbars that look for a fixed port (5748):
 * {@code suite.toolbar.port}, off unless set. It serves {@code /ws/toolbar} only, through the
 * gateway's own router, so authentication and the protocol are the same as on the main port.
 */
@ApplicationScoped
public class ToolbarPort {

    private static final Logger LOG = Logger.getLogger(ToolbarPort.class);

    private final Optional<Integer> port;
    private final String host;
    private final Vertx vertx;
    private HttpServer server;

    public ToolbarPort(ToolbarConfig config, @ConfigProperty(name = "quarkus.http.host") String host, Vertx vertx) {
        this.port = config.port();
        this.host = host;
        this.vertx = vertx;
    }

    void start(@Observes Router router) {
        if (port.isEmpty()) {
            return;
        }
        server = vertx.createHttpServer().requestHandler(request -> {
            if ("/ws/toolbar".equals(request.path())) {
                router.handle(request);
            } else {
                request.response().setStatusCode(404).end();
            }
        });
        server.listen(port.get(), host)
                .onSuccess(s -> LOG.infof("Toolbar listener on %s:%d", host, s.actualPort()))
                .onFailure(e -> LOG.errorf("Toolbar listener on port %d failed: %s", port.get(), e.getMessage()));
    }

    void stop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.close();
        }
    }
}
