package dev.suite.task.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.events.CloudEvent;
import dev.suite.commons.tracing.Traces;
import dev.suite.commons.events.EventPublisher;
import dev.suite.commons.events.ReplayLog;
import dev.suite.commons.redis.RedisNames;
import dev.suite.task.TaskSettings;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Task state and progress on {@code suite:task:events} (CloudEvents, subject = task id, owner
 * extension = its user), for the live feeds of every replica — state events also in the user's
 * replay log, with the log entry as event id; and requests to the replica running a task on
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
    private final ReplayLog log;
    private final String control;

    public TaskEvents(EventPublisher publisher, ReactiveRedisDataSource redis, ObjectMapper mapper, RedisNames names,
            TaskSettings settings) {
        this.publisher = publisher;
        this.mapper = mapper;
        this.log = new ReplayLog(redis, mapper, owner -> names.key("task", "events", owner), names.channel("task", "events"),
                settings.replay().size(), settings.replay().ttl());
        this.control = names.channel("task", "control");
    }

    public String channel() {
        return log.channel();
    }

    /** The owner's log of state events, which {@code /ws/tasks} replays. */
    public ReplayLog log() {
        return log;
    }

    public String controlChannel() {
        return control;
    }

    /** A task's new state, as its {@code task.state} event says it. */
    public record State(String taskId, String ownerId, String state, int progress, String error) {
    }

    /** A task's new state: logged for replay and published. */
    public Uni<Void> state(String taskId, String ownerId, String state, int progress, String error) {
        return log.append(event(new State(taskId, ownerId, state, progress, error)));
    }

    /** The new states of tasks written together, in one Redis call. */
    public Uni<Void> states(List<State> states) {
        return log.appendAll(states.stream().map(this::event).toList());
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

    /** Progress is only published, not logged: a missed one is superseded by the next, or by the final state. */
    public Uni<Void> progress(String taskId, String ownerId, int progress) {
        Map<String, Object> data = Map.of("task_id", taskId, "owner_id", ownerId, "progress", progress);
        // No id: only logged events have one, the id a reconnecting client is replayed from.
        return publisher.publish(log.channel(), new CloudEvent("1.0", null, SOURCE, PROGRESS, taskId, Instant.now(),
                "application/json", mapper.valueToTree(data), ownerId, Traces.current()));
    }

    /** Asks whichever replica runs the task to cancel or pause it. */
    public Uni<Void> request(String taskId, String what) {
        return publisher.publish(control, CloudEvent.of(SOURCE, REQUESTED, taskId,
                mapper.valueToTree(Map.of("task_id", taskId, "requested", what))));
    }
}
