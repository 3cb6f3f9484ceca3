package dev.suite.mcp.feedback;

import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The feedback pages open on this replica, by user: where feedback news is pushed. */
@ApplicationScoped
public class FeedbackPages {

    private static final Logger LOG = Logger.getLogger(FeedbackPages.class);

    private final Map<String, Set<WebSocketConnection>> pages = new ConcurrentHashMap<>();

    void add(String ownerId, WebSocketConnection connection) {
        pages.computeIfAbsent(ownerId, id -> ConcurrentHashMap.newKeySet()).add(connection);
    }

    void remove(String ownerId, WebSocketConnection connection) {
        Set<WebSocketConnection> open = pages.get(ownerId);
        if (open != null) {
            open.remove(connection);
        }
    }

    /** Sends a message to every page of the user on this replica. */
    public void send(String ownerId, JsonObject message) {
        Set<WebSocketConnection> open = pages.get(ownerId);
        if (open == null) {
            return;
        }
        String text = message.encode();
        for (WebSocketConnection connection : open) {
            connection.sendText(text).subscribe().with(ok -> {
            }, e -> LOG.debugf("Feedback page gone: %s", e.getMessage()));
        }
    }
}
