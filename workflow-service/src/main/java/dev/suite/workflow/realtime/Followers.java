package dev.suite.workflow.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.events.CloudEvent;
import dev.suite.commons.events.EventSubscriber;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code /ws/workflows} connections of this replica, by the executions they follow, fed from
 * {@code suite:workflow:events}: whichever replica runs an execution, every replica hands its
 * events to its own followers of it.
 */
@ApplicationScoped
public class Followers {

    private static final Logger LOG = Logger.getLogger(Followers.class);

    private final Map<String, Set<Follower>> byExecution = new ConcurrentHashMap<>();
    private final Set<Follower> all = ConcurrentHashMap.newKeySet();
    private final EventSubscriber subscriber;
    private final ExecutionEvents events;
    private final ObjectMapper mapper;

    public Followers(EventSubscriber subscriber, ExecutionEvents events, ObjectMapper mapper) {
        this.subscriber = subscriber;
        this.events = events;
        this.mapper = mapper;
    }

    void start(@Observes StartupEvent startup) {
        subscriber.subscribe(events.channel(), this::deliver,
                () -> LOG.info("Execution events resumed; clients that missed some recover them by subscribing with their last event id"));
    }

    void add(Follower follower) {
        all.add(follower);
    }

    void follow(Follower follower, String executionId) {
        if (follower.executions.add(executionId)) {
            byExecution.computeIfAbsent(executionId, k -> ConcurrentHashMap.newKeySet()).add(follower);
        }
    }

    void unfollow(Follower follower, String executionId) {
        follower.executions.remove(executionId);
        follower.forget(executionId);
        byExecution.computeIfPresent(executionId, (k, set) -> {
            set.remove(follower);
            return set.isEmpty() ? null : set;
        });
    }

    void remove(Follower follower) {
        all.remove(follower);
        for (String executionId : Set.copyOf(follower.executions)) {
            unfollow(follower, executionId);
        }
    }

    /** Sends a frame to every connection of this replica (queue updates). */
    void broadcast(String frame) {
        all.forEach(f -> f.send(frame));
    }

    boolean isEmpty() {
        return all.isEmpty();
    }

    private void deliver(CloudEvent event) {
        Set<Follower> followers = event.subject() == null ? null : byExecution.get(event.subject());
        if (followers == null || followers.isEmpty()) {
            return;
        }
        EventType type = EventType.ofCloudEventType(event.type());
        if (type == null) {
            return;
        }
        String frame = frame(type, event.id(), event.data());
        for (Follower follower : followers) {
            follower.live(event.subject(), event.id(), frame);
        }
    }

    /** The socket's shape of an event: {@code {type, event_id, payload}}. */
    String frame(EventType type, String eventId, JsonNode payload) {
        ObjectNode frame = mapper.createObjectNode().put("type", type.name()).put("event_id", eventId);
        frame.set("payload", payload);
        return frame.toString();
    }

    /** A replayed event's frame, from its stored CloudEvent JSON; null for an unknown type. */
    String[] replayedFrame(ExecutionEvents.Replayed replayed) {
        try {
            JsonNode event = mapper.readTree(replayed.json());
            EventType type = EventType.ofCloudEventType(event.path("type").asText());
            return type == null ? null : new String[] {replayed.id(), frame(type, replayed.id(), event.get("data"))};
        } catch (Exception e) {
            return null;
        }
    }
}
