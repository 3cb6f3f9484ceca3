package dev.suite.task.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.calls.Background;
import dev.suite.commons.events.CloudEvent;
import dev.suite.commons.events.OrderedDelivery;
import dev.suite.commons.identity.SocketTickets;
import dev.suite.commons.redis.StreamIds;
import dev.suite.task.TaskSettings;
import dev.suite.task.tasks.TaskStore;
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
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code /ws/tasks}: live updates across the caller's tasks (the task design note's WebSocket),
 * from whichever replica runs them. The client sends
 * {@code {"type":"subscribe","all":true}} or {@code {"type":"subscribe","task_ids":[…]}}, with
 * {@code "last_event_id"} to be replayed what it missed first ({@code replay.incomplete} when some
 * of it was already dropped from the capped log: reload); then {@code unsubscribe}, {@code ping}.
 * It receives {@code task.state} events (with ids) and {@code task.progress} (without). Ids
 * that are not the caller's tasks are refused like missing ones.
 */
@WebSocket(path = "/ws/tasks")
public class TaskSocket {

    private static final Logger LOG = Logger.getLogger(TaskSocket.class);
    private static final UserData.TypedKey<Subscriber> SUBSCRIBER = new UserData.TypedKey<>("subscriber");
    private static final int MAX_IDS = 500;

    @Inject
    SecurityIdentity identity;
    @Inject
    SocketTickets tickets;
    @Inject
    TaskFeed feed;
    @Inject
    TaskEvents events;
    @Inject
    TaskStore store;
    @Inject
    TaskSettings settings;
    @Inject
    ObjectMapper mapper;

    @OnOpen
    public Uni<Void> open(WebSocketConnection connection) {
        return tickets.owner(identity, connection.handshakeRequest().query()).chain(ownerId -> {
            if (ownerId == null) {
                return connection.close(new CloseReason(1008,
                        "authenticate the upgrade, or open with ?ticket= from POST /api/v1/tasks/socket-ticket"));
            }
            Subscriber subscriber = new Subscriber(ownerId, connection);
            subscriber.unfollow = feed.followOwner(ownerId, subscriber::offer);
            connection.userData().put(SUBSCRIBER, subscriber);
            return Uni.createFrom().voidItem();
        });
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        Subscriber subscriber = connection.userData().get(SUBSCRIBER);
        if (subscriber != null) {
            subscriber.unfollow.run();
        }
    }

    @OnTextMessage
    public Uni<Void> message(WebSocketConnection connection, String text) {
        Subscriber subscriber = connection.userData().get(SUBSCRIBER);
        if (subscriber == null) {
            return Uni.createFrom().voidItem();
        }
        JsonNode message;
        try {
            message = mapper.readTree(text);
        } catch (Exception e) {
            subscriber.send(error(400, "not JSON", null));
            return Uni.createFrom().voidItem();
        }
        switch (message.path("type").asText("")) {
            case "ping" -> subscriber.send("{\"type\":\"pong\"}");
            case "subscribe" -> {
                return subscribe(subscriber, message);
            }
            case "unsubscribe" -> {
                if (message.path("all").asBoolean(false)) {
                    subscriber.all = false;
                    subscriber.taskIds.clear();
                }
                ids(message).forEach(subscriber.taskIds::remove);
                subscriber.send("{\"type\":\"unsubscribed\"}");
            }
            default -> subscriber.send(error(400, "type must be subscribe, unsubscribe or ping", null));
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> subscribe(Subscriber subscriber, JsonNode message) {
        boolean all = message.path("all").asBoolean(false);
        List<String> taskIds = ids(message);
        String lastEventId = message.path("last_event_id").isTextual() ? message.get("last_event_id").asText() : null;
        if (taskIds.size() > MAX_IDS) {
            subscriber.send(error(400, "at most " + MAX_IDS + " task_ids per subscription; subscribe to all instead", null));
            return Uni.createFrom().voidItem();
        }
        if (lastEventId != null && !StreamIds.isId(lastEventId)) {
            subscriber.send(error(400, "last_event_id must be the id of a task.state event", null));
            return Uni.createFrom().voidItem();
        }
        return store.ownedIds(subscriber.ownerId, taskIds).chain(owned -> {
            if (lastEventId != null) {
                subscriber.delivery.startReplay(lastEventId);
            }
            subscriber.all |= all;
            subscriber.taskIds.addAll(owned);
            ObjectNode ack = mapper.createObjectNode().put("type", "subscribed").put("all", subscriber.all);
            ack.set("task_ids", mapper.valueToTree(owned));
            subscriber.send(ack.toString());
            List<String> refused = taskIds.stream().filter(id -> !owned.contains(id)).toList();
            if (!refused.isEmpty()) {
                subscriber.send(error(404, "not found", refused));
            }
            return lastEventId == null ? Uni.createFrom().voidItem() : replay(subscriber, lastEventId);
        });
    }

    /** Sends what the client missed of the tasks it follows, then lets live events through. */
    private Uni<Void> replay(Subscriber subscriber, String lastEventId) {
        return events.log().replay(subscriber.ownerId, lastEventId, settings.replay().size(), subscriber::follows,
                subscriber.delivery::endReplay, subscriber::send);
    }

    private static List<String> ids(JsonNode message) {
        List<String> out = new ArrayList<>();
        message.path("task_ids").forEach(node -> {
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

    /** One connection: its user, what it follows, and the ordered delivery of its events. */
    private final class Subscriber {

        final String ownerId;
        final Set<String> taskIds = ConcurrentHashMap.newKeySet();
        final OrderedDelivery delivery;
        final WebSocketConnection connection;
        volatile boolean all;
        Runnable unfollow;

        Subscriber(String ownerId, WebSocketConnection connection) {
            this.ownerId = ownerId;
            this.connection = connection;
            this.delivery = new OrderedDelivery(this::send,
                    () -> Background.tidy(connection.close(), LOG, "Closing a task socket that fell behind"));
        }

        boolean follows(String taskId) {
            return all || taskIds.contains(taskId);
        }

        /** An event of one of the user's tasks, passed on when the client follows that task. */
        void offer(CloudEvent event) {
            if (!follows(event.subject())) {
                return;
            }
            try {
                delivery.live(event.id(), mapper.writeValueAsString(event));
            } catch (Exception e) {
                LOG.debugf("Task event not written: %s", e.getMessage());
            }
        }

        void send(String json) {
            connection.sendText(json).subscribe().with(ok -> { },
                    e -> LOG.debugf("Task event not delivered to %s: %s", connection.id(), e.getMessage()));
        }
    }
}
