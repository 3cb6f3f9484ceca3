package dev.suite.session.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.identity.SocketTickets;
import dev.suite.commons.redis.StreamIds;
import dev.suite.session.SessionSettings;
import dev.suite.session.roundtables.RoundtableStore;
import dev.suite.session.sessions.SessionStore;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /ws/sessions}: live events of the sessions and roundtables a client follows, from any
 * replica. The client sends
 * {@code {"type":"subscribe","session_ids":[…],"roundtable_ids":[…],"last_event_id":"…"}} (and
 * {@code unsubscribe}, {@code ping}); ids that are not the user's are refused like missing ones.
 * With {@code last_event_id}, the events after it are replayed first; {@code replay.incomplete}
 * says some were already dropped from the capped log, so the client should reload.
 */
@WebSocket(path = "/ws/sessions")
public class SessionSocket {

    static final UserData.TypedKey<Listener> LISTENER = new UserData.TypedKey<>("listener");
    private static final int MAX_IDS = 500;

    @Inject
    SecurityIdentity identity;
    @Inject
    SocketTickets tickets;
    @Inject
    Listeners listeners;
    @Inject
    SessionEvents events;
    @Inject
    SessionStore sessions;
    @Inject
    RoundtableStore roundtables;
    @Inject
    SessionSettings settings;
    @Inject
    ObjectMapper mapper;

    @OnOpen
    public Uni<Void> open(WebSocketConnection connection) {
        return tickets.owner(identity, connection.handshakeRequest().query()).chain(ownerId -> {
            if (ownerId == null) {
                return connection.close(new CloseReason(1008,
                        "authenticate the upgrade, or open with ?ticket= from POST /api/sessions/socket-ticket"));
            }
            connection.userData().put(LISTENER, new Listener(ownerId, connection));
            return Uni.createFrom().voidItem();
        });
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        Listener listener = connection.userData().get(LISTENER);
        if (listener != null) {
            listeners.remove(listener);
        }
    }

    @OnTextMessage
    public Uni<Void> message(WebSocketConnection connection, String text) {
        Listener listener = connection.userData().get(LISTENER);
        if (listener == null) {
            return Uni.createFrom().voidItem();
        }
        JsonNode message;
        try {
            message = mapper.readTree(text);
        } catch (Exception e) {
            listener.send(error(400, "not JSON", null));
            return Uni.createFrom().voidItem();
        }
        String type = message.path("type").asText("");
        switch (type) {
            case "ping" -> listener.send("{\"type\":\"pong\"}");
            case "subscribe" -> {
                return subscribe(listener, message);
            }
            case "unsubscribe" -> {
                ids(message, "session_ids").forEach(id -> listeners.unfollow(listener, id));
                ids(message, "roundtable_ids").forEach(id -> listeners.unfollow(listener, id));
                listener.send(mapper.createObjectNode().put("type", "unsubscribed").toString());
            }
            default -> listener.send(error(400, "type must be subscribe, unsubscribe or ping", null));
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> subscribe(Listener listener, JsonNode message) {
        List<String> sessionIds = ids(message, "session_ids");
        List<String> roundtableIds = ids(message, "roundtable_ids");
        String lastEventId = message.path("last_event_id").isTextual() ? message.get("last_event_id").asText() : null;
        if (sessionIds.size() + roundtableIds.size() > MAX_IDS) {
            listener.send(error(400, "at most " + MAX_IDS + " ids per subscription", null));
            return Uni.createFrom().voidItem();
        }
        if (lastEventId != null && !StreamIds.isId(lastEventId)) {
            listener.send(error(400, "last_event_id must be the id of an event of this socket", null));
            return Uni.createFrom().voidItem();
        }
        return sessions.owned(listener.ownerId, sessionIds)
                .chain(ownedSessions -> roundtables.owned(listener.ownerId, roundtableIds).chain(ownedTables -> {
                    Set<String> granted = new HashSet<>(ownedSessions);
                    granted.addAll(ownedTables);
                    List<String> refused = new ArrayList<>();
                    sessionIds.stream().filter(id -> !granted.contains(id)).forEach(refused::add);
                    roundtableIds.stream().filter(id -> !granted.contains(id)).forEach(refused::add);
                    if (lastEventId != null) {
                        listener.startReplay(lastEventId);
                    }
                    granted.forEach(id -> listeners.follow(listener, id));
                    ObjectNode ack = mapper.createObjectNode().put("type", "subscribed");
                    ack.set("session_ids", mapper.valueToTree(ownedSessions));
                    ack.set("roundtable_ids", mapper.valueToTree(ownedTables));
                    listener.send(ack.toString());
                    if (!refused.isEmpty()) {
                        listener.send(error(404, "not found", refused));
                    }
                    return lastEventId == null ? Uni.createFrom().voidItem() : replay(listener, lastEventId);
                }));
    }

    /** Sends what the client missed of the subjects it follows, then lets live events through. */
    private Uni<Void> replay(Listener listener, String lastEventId) {
        return events.log().replay(listener.ownerId, lastEventId, settings.replay().size(), listener.subjects::contains,
                listener::endReplay, listener::send);
    }

    private static List<String> ids(JsonNode message, String field) {
        List<String> out = new ArrayList<>();
        message.path(field).forEach(node -> {
            if (node.isTextual()) {
                out.add(node.asText());
            }
        });
        return out;
    }

    private String error(int status, String detail, List<String> ids) {
        ObjectNode error = mapper.createObjectNode().put("type", "error").put("status", status).put("detail", detail);
        if (ids != null) {
            error.set("ids", mapper.valueToTree(ids));
        }
        return error.toString();
    }
}
