package dev.suite.workflow.realtime;

import dev.suite.commons.calls.Background;
import dev.suite.commons.redis.StreamIds;
import io.quarkus.websockets.next.WebSocketConnection;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@code /ws/workflows} connection: its user, the executions it follows, and per execution the
 * id of the last event it was sent. While an execution's missed events are read back from Redis,
 * its live events are held and sent after them, skipping any the replay already carried.
 */
final class Follower {

    private static final Logger LOG = Logger.getLogger(Follower.class);
    /** A client that cannot keep up is cut off rather than buffered without end. */
    private static final int MAX_HELD = 10_000;

    final String ownerId;
    /** The upgrade's Authorization header, forwarded by executions this socket submits (null with a ticket). */
    final String authorization;
    final Set<String> executions = ConcurrentHashMap.newKeySet();
    private final WebSocketConnection connection;
    private final Map<String, String> lastSent = new HashMap<>();
    private final Map<String, List<String[]>> held = new HashMap<>();

    Follower(String ownerId, String authorization, WebSocketConnection connection) {
        this.ownerId = ownerId;
        this.authorization = authorization;
        this.connection = connection;
    }

    synchronized void live(String executionId, String eventId, String frame) {
        List<String[]> waiting = held.get(executionId);
        if (waiting != null) {
            if (waiting.size() >= MAX_HELD) {
                Background.tidy(connection.close(), LOG, "Closing a socket that fell behind");
                return;
            }
            waiting.add(new String[] {eventId, frame});
            return;
        }
        sendEvent(executionId, eventId, frame);
    }

    synchronized void startReplay(String executionId, String lastEventId) {
        held.put(executionId, new ArrayList<>());
        if (lastEventId != null) {
            String sent = lastSent.get(executionId);
            if (sent == null || StreamIds.isAfter(lastEventId, sent)) {
                lastSent.put(executionId, lastEventId);
            }
        }
    }

    /** Sends the replayed events (id, frame pairs), then what arrived meanwhile, each once and in order. */
    synchronized void endReplay(String executionId, List<String[]> replayed) {
        for (String[] event : replayed) {
            sendEvent(executionId, event[0], event[1]);
        }
        List<String[]> waiting = held.remove(executionId);
        if (waiting != null) {
            for (String[] event : waiting) {
                sendEvent(executionId, event[0], event[1]);
            }
        }
    }

    synchronized void forget(String executionId) {
        lastSent.remove(executionId);
        held.remove(executionId);
    }

    private void sendEvent(String executionId, String eventId, String frame) {
        if (eventId != null) {
            String sent = lastSent.get(executionId);
            if (sent != null && !StreamIds.isAfter(eventId, sent)) {
                return;
            }
            lastSent.put(executionId, eventId);
        }
        send(frame);
    }

    void send(String frame) {
        connection.sendText(frame).subscribe().with(ok -> { },
                e -> LOG.debugf("Workflow event not delivered to %s: %s", connection.id(), e.getMessage()));
    }
}
