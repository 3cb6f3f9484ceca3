package dev.suite.session.realtime;

import dev.suite.commons.calls.Background;
import dev.suite.commons.events.OrderedDelivery;
import dev.suite.commons.events.ReplayLog;
import io.quarkus.websockets.next.WebSocketConnection;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@code /ws/sessions} connection: its user, the sessions and roundtables it follows, and the
 * ordered delivery of its events — replayed ones first after a reconnect, each once.
 */
final class Listener {

    private static final Logger LOG = Logger.getLogger(Listener.class);

    final String ownerId;
    final Set<String> subjects = ConcurrentHashMap.newKeySet();
    private final WebSocketConnection connection;
    private final OrderedDelivery delivery;

    Listener(String ownerId, WebSocketConnection connection) {
        this.ownerId = ownerId;
        this.connection = connection;
        this.delivery = new OrderedDelivery(this::send,
                () -> Background.tidy(connection.close(), LOG, "Closing a socket that fell behind"));
    }

    String connectionId() {
        return connection.id();
    }

    /** A live event; {@code id} is null for events that are not replayed (deltas). */
    void live(String id, String json) {
        delivery.live(id, json);
    }

    void startReplay(String lastEventId) {
        delivery.startReplay(lastEventId);
    }

    void endReplay(List<ReplayLog.Replayed> replayed) {
        delivery.endReplay(replayed);
    }

    void send(String json) {
        connection.sendText(json).subscribe().with(ok -> { },
                e -> LOG.debugf("Session event not delivered to %s: %s", connection.id(), e.getMessage()));
    }
}
