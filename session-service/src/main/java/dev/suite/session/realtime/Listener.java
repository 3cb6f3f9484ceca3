package dev.suite.session.realtime;

import dev.suite.commons.calls.Background;
import dev.suite.commons.redis.StreamIds;
import io.quarkus.websockets.next.WebSocketConnection;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@code /ws/sessions} connection: its user, the sessions and roundtables it follows, and the
 * id of the last replayable event it was sent. While a replay is read from Redis, live events are
 * held back and sent after it, skipping any the replay already carried.
 */
final class Listener {

    private static final Logger LOG = Logger.getLogger(Listener.class);
    /** A client that cannot keep up is cut off rather than buffered without end. */
    private static final int MAX_HELD = 10_000;

    final String ownerId;
    final Set<String> subjects = ConcurrentHashMap.newKeySet();
    private final WebSocketConnection connection;
    private String lastSentId;
    private boolean replaying;
    private final List<String[]> held = new ArrayList<>();

    Listener(String ownerId, WebSocketConnection connection) {
        this.ownerId = ownerId;
        this.connection = connection;
    }

    String connectionId() {
        return connection.id();
    }

    /** A live event; {@code id} is null for events that are not replayed (deltas). */
    synchronized void live(String id, String json) {
        if (replaying) {
            if (held.size() >= MAX_HELD) {
                Background.tidy(connection.close(), LOG, "Closing a socket that fell behind");
                return;
            }
            held.add(new String[] {id, json});
            return;
        }
        sendEvent(id, json);
    }

    synchronized void startReplay(String lastEventId) {
        replaying = true;
        if (lastEventId != null && (lastSentId == null || StreamIds.isAfter(lastEventId, lastSentId))) {
            lastSentId = lastEventId;
        }
    }

    /** Sends the replayed events, then what arrived meanwhile, each once and in order. */
    synchronized void endReplay(List<SessionEvents.Replayed> replayed) {
        for (SessionEvents.Replayed event : replayed) {
            sendEvent(event.id(), event.json());
        }
        for (String[] event : held) {
            sendEvent(event[0], event[1]);
        }
        held.clear();
        replaying = false;
    }

    synchronized void sendEvent(String id, String json) {
        if (id != null) {
            if (lastSentId != null && !StreamIds.isAfter(id, lastSentId)) {
                return;
            }
            lastSentId = id;
        }
        send(json);
    }

    void send(String json) {
        connection.sendText(json).subscribe().with(ok -> { },
                e -> LOG.debugf("Session event not delivered to %s: %s", connection.id(), e.getMessage()));
    }
}
