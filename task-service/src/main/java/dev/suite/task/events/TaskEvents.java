package dev.suite.task.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.events.CloudEvent;
import dev.suite.commons.events.EventPublisher;
import dev.suite.commons.redis.RedisNames;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Task state and progress on {@code suite:task:events} (CloudEvents, subject = task id), for the
 * live feeds of every replica; and requests to the replica running a task on
 * {@code suite:task:control}. Both best effort: a lost control message is picked up by the next
 * heartbeat, a lost event by the feed's next snapshot.
 */
@ApplicationScoped
public class TaskEvents {

    public static final String SOURCE = "/task-service";
    public static final String STATE = "task.state";
    public static final String PROGRESS = "task.progress";
    public static final String REQUESTED = "task.requested";

    private final EventPublisher publisher;
    private final ObjectMapper mapper;
    private final String channel;
    private final String control;

    public TaskEvents(EventPublisher publisher, ObjectMapper mapper, RedisNames names) {
        this.publisher = publisher;
        this.mapper = mapper;
        this.channel = names.channel("task", "events");
        this.control = names.channel("task", "control");
    }

    public String channel() {
        return channel;
    }

    public String controlChannel() {
        return control;
    }

    /** A task's new state, as its {@code task.state} event says it. */
    public record State(String taskId, String ownerId, String state, int progress, String error) {
    }

    public Uni<Void> state(String taskId, String ownerId, String state, int progress, String error) {
        return publisher.publish(channel, event(new State(taskId, ownerId, state, progress, error)));
    }

    /** The new states of tasks written together, in one Redis call. */
    public Uni<Void> states(List<State> states) {
        return publisher.publishAll(channel, states.stream().map(this::event).toList());
    }

    private CloudEvent event(State state) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("task_id", state.taskId());
        data.put("owner_id", state.ownerId());
        data.put("state", state.state());
        data.put("progress", state.progress());
        data.put("error", state.error());
        return CloudEvent.of(SOURCE, STATE, state.taskId(), mapper.valueToTree(data)).withOwner(state.ownerId());
    }

    public Uni<Void> progress(String taskId, String ownerId, int progress) {
        Map<String, Object> data = Map.of("task_id", taskId, "owner_id", ownerId, "progress", progress);
        return publisher.publish(channel, CloudEvent.of(SOURCE, PROGRESS, taskId, mapper.valueToTree(data)));
    }

    /** Asks whichever replica runs the task to cancel or pause it. */
    public Uni<Void> request(String taskId, String what) {
        return publisher.publish(control, CloudEvent.of(SOURCE, REQUESTED, taskId,
                mapper.valueToTree(Map.of("task_id", taskId, "requested", what))));
    }
}
