package dev.suite.workflow.realtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.events.CloudEvent;
import dev.suite.commons.tracing.Traces;
import dev.suite.commons.redis.RedisNames;
import dev.suite.commons.db.GroupCommit;
import dev.suite.workflow.WorkflowSettings;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Execution events for the {@code /ws/workflows} clients of every replica. Each event is appended
 * to its execution's capped Redis stream (the stream entry id is the event id, for replay) and
 * published on {@code suite:workflow:events}. Events of all executions are gathered for a few
 * milliseconds and sent in one script, so a busy replica makes one Redis round trip per batch
 * rather than per event; order within an execution is kept.
 *
 * <p>Publishing is best effort: a Redis failure is logged, and the execution goes on (its state is
 * in MySQL). Streaming chunks wait when too many events are queued, so a stalled Redis slows the
 * producing node down instead of filling memory.
 */
@ApplicationScoped
public class ExecutionEvents {

    public static final String SOURCE = "/workflow-service";
    private static final Logger LOG = Logger.getLogger(ExecutionEvents.class);
    /** Events appended in one script at most; past this many waiting, a streaming producer waits for them. */
    private static final int EVENTS_PER_CALL = 5_000;

    /** Appends each event to its stream (bounded, with a TTL) and publishes it with its entry id. */
    private static final String APPEND_AND_PUBLISH = """
            local n = #KEYS
            for i = 1, n do
              local id = redis.call('XADD', KEYS[i], 'MAXLEN', '~', ARGV[1], '*', 'e', ARGV[3 + i])
              redis.call('PEXPIRE', KEYS[i], ARGV[2])
              redis.call('PUBLISH', ARGV[3], '{"id":"' .. id .. '",' .. string.sub(ARGV[3 + i], 2))
            end
            return n
            """;

    private record Pending(String stream, String json) {
    }

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper mapper;
    private final RedisNames names;
    private final WorkflowSettings settings;
    private final String channel;
    /** Events are appended in the order they were published: one batch at a time. */
    private final GroupCommit<Pending, Void> batch;

    public ExecutionEvents(ReactiveRedisDataSource redis, ObjectMapper mapper, RedisNames names, WorkflowSettings settings) {
        this.redis = redis;
        this.mapper = mapper;
        this.names = names;
        this.settings = settings;
        this.channel = names.channel("workflow", "events");
        this.batch = GroupCommit.inOrder(items -> append(items).onFailure().invoke(e -> LOG.warnf(
                "Could not append %d execution events: %s", items.size(), e.getMessage())), EVENTS_PER_CALL);
    }

    public String channel() {
        return channel;
    }

    /** Queues an event of an execution; completes when written (failures are logged, not raised). */
    public Uni<Void> publish(String executionId, EventType type, ObjectNode payload) {
        return batch.submit(new Pending(stream(executionId), json(executionId, type, payload)))
                .onFailure().recoverWithNull();
    }

    /**
     * Appends the first event of each of these new executions in one call of its own, not behind the
     * batch in flight: a new execution has no earlier event to keep order with, and its submitter
     * waits for this before queueing it. Failures are logged, not raised.
     */
    public Uni<Void> announce(List<String> executionIds, EventType type, Function<String, ObjectNode> payload) {
        return append(executionIds.stream().map(id -> new Pending(stream(id), json(id, type, payload.apply(id)))).toList())
                .onFailure().invoke(e -> LOG.warnf("Could not announce %d executions: %s", executionIds.size(), e.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** Like {@link #publish}, but completes at once unless the backlog is too long (streaming chunks). */
    public Uni<Void> offer(String executionId, EventType type, ObjectNode payload) {
        return batch.offer(new Pending(stream(executionId), json(executionId, type, payload)), EVENTS_PER_CALL);
    }

    /** The base of every payload: both ids (prompt_id is the original protocol's name for it). */
    public ObjectNode payload(String executionId) {
        return mapper.createObjectNode().put("execution_id", executionId).put("prompt_id", executionId);
    }

    private Uni<Void> append(List<Pending> items) {
        List<String> args = new ArrayList<>(items.size() * 2 + 6);
        args.add(APPEND_AND_PUBLISH);
        args.add(Integer.toString(items.size()));
        items.forEach(item -> args.add(item.stream()));
        args.add(Integer.toString(settings.replaySize()));
        args.add(Long.toString(settings.replayTtl().toMillis()));
        args.add(channel);
        items.forEach(item -> args.add(item.json()));
        return redis.execute("EVAL", args.toArray(String[]::new)).replaceWithVoid();
    }

    /** The execution's events after {@code lastEventId} (null: from the start), oldest first; at most {@code max}. */
    public Uni<List<Replayed>> after(String executionId, String lastEventId, int max) {
        return redis.execute("XRANGE", stream(executionId), lastEventId == null ? "-" : "(" + lastEventId, "+", "COUNT",
                Integer.toString(max)).map(ExecutionEvents::entries);
    }

    /** The id of the execution's oldest kept event, or null when none is kept. */
    public Uni<String> oldest(String executionId) {
        return redis.execute("XRANGE", stream(executionId), "-", "+", "COUNT", "1")
                .map(reply -> reply == null || reply.size() == 0 ? null : reply.get(0).get(0).toString());
    }

    public Uni<Void> forget(String executionId) {
        return redis.execute("DEL", stream(executionId)).replaceWithVoid();
    }

    /** An event read back from a stream: its id and its CloudEvent JSON with the id in place. */
    public record Replayed(String id, String json) {
    }

    private static List<Replayed> entries(Response reply) {
        List<Replayed> out = new ArrayList<>();
        if (reply == null) {
            return out;
        }
        for (Response entry : reply) {
            String id = entry.get(0).toString();
            Response fields = entry.get(1);
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                if ("e".equals(fields.get(i).toString())) {
                    String json = fields.get(i + 1).toString();
                    out.add(new Replayed(id, "{\"id\":\"" + id + "\"," + json.substring(1)));
                }
            }
        }
        return out;
    }

    private String json(String executionId, EventType type, ObjectNode payload) {
        CloudEvent event = new CloudEvent("1.0", null, SOURCE, type.cloudEventType(), executionId, Instant.now(),
                "application/json", payload, null, Traces.current());
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unwritable event " + type, e);
        }
    }

    private String stream(String executionId) {
        return names.key("workflow", "events", executionId);
    }
}
