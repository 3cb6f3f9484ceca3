package dev.suite.session.realtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.events.CloudEvent;
import dev.suite.commons.redis.RedisNames;
import dev.suite.session.SessionSettings;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Session events for the {@code /ws/sessions} clients of every replica. An event is appended to its
 * owner's capped Redis stream and published on {@code suite:session:events} in one script, so the
 * stream entry id is the event id: a client that reconnects with its last event id is replayed
 * the rest of the stream. Turn deltas are only published — a missed delta is superseded by the
 * {@code roundtable.message.created} that ends the turn.
 *
 * <p>Like all pub/sub here, publishing is best effort: the write that caused an event has
 * committed, so a Redis failure is logged, not answered.
 */
@ApplicationScoped
public class SessionEvents {

    public static final String SOURCE = "/session-service";
    public static final String SESSION_CREATED = "session.created";
    public static final String SESSION_UPDATED = "session.updated";
    public static final String SESSION_DELETED = "session.deleted";
    public static final String MESSAGE_CREATED = "message.created";
    public static final String MESSAGE_UPDATED = "message.updated";
    public static final String MESSAGE_DELETED = "message.deleted";
    public static final String SUMMARY_CREATED = "summary.created";
    public static final String ROUNDTABLE_STARTED = "roundtable.started";
    public static final String ROUNDTABLE_TURN_STARTED = "roundtable.turn.started";
    public static final String ROUNDTABLE_TURN_DELTA = "roundtable.turn.delta";
    public static final String ROUNDTABLE_MESSAGE_CREATED = "roundtable.message.created";
    public static final String ROUNDTABLE_STOPPED = "roundtable.stopped";

    private static final Logger LOG = Logger.getLogger(SessionEvents.class);

    /** Appends, bounds and refreshes the owner's stream, then publishes with the entry id as event id. */
    private static final String APPEND_AND_PUBLISH = """
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'e', ARGV[3])
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            redis.call('PUBLISH', ARGV[4], '{"id":"' .. id .. '",' .. string.sub(ARGV[3], 2))
            return id
            """;

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper mapper;
    private final RedisNames names;
    private final SessionSettings settings;
    private final String channel;
    private final String controlChannel;

    public SessionEvents(ReactiveRedisDataSource redis, ObjectMapper mapper, RedisNames names, SessionSettings settings) {
        this.redis = redis;
        this.mapper = mapper;
        this.names = names;
        this.settings = settings;
        this.channel = names.channel("session", "events");
        this.controlChannel = names.channel("session", "control");
    }

    public String channel() {
        return channel;
    }

    /** Signals between replicas (a roundtable's stop request), apart from the events sockets follow. */
    public String controlChannel() {
        return controlChannel;
    }

    /** Publishes an event that reconnecting clients are replayed; {@code subject} is a session or roundtable id. */
    public Uni<Void> publish(String ownerId, String type, String subject, Object data) {
        String body = withoutId(ownerId, type, subject, data);
        return redis.execute("EVAL", APPEND_AND_PUBLISH, "1", stream(ownerId),
                        Integer.toString(settings.replay().size()), Long.toString(settings.replay().ttl().toMillis()),
                        body, channel)
                .replaceWithVoid()
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("Could not publish %s of %s: %s", type, subject, e.getMessage());
                    return Uni.createFrom().voidItem();
                });
    }

    /** Publishes an event that is not replayed (a turn delta). */
    public Uni<Void> publishTransient(String type, String subject, Object data) {
        return publishOn(channel, type, subject, data);
    }

    /** Publishes a signal for the other replicas on {@link #controlChannel()}. */
    public Uni<Void> publishControl(String type, String subject, Object data) {
        return publishOn(controlChannel, type, subject, data);
    }

    private Uni<Void> publishOn(String target, String type, String subject, Object data) {
        return redis.pubsub(String.class).publish(target, withoutId(null, type, subject, data))
                .onFailure().recoverWithUni(e -> {
                    LOG.debugf("Could not publish %s of %s: %s", type, subject, e.getMessage());
                    return Uni.createFrom().voidItem();
                });
    }

    /** The owner's events after {@code lastEventId}, oldest first, each with its id; at most {@code max}. */
    public Uni<List<Replayed>> after(String ownerId, String lastEventId, int max) {
        return redis.execute("XRANGE", stream(ownerId), "(" + lastEventId, "+", "COUNT", Integer.toString(max))
                .map(SessionEvents::entries);
    }

    /** The id of the owner's oldest kept event, or null when the log is empty. */
    public Uni<String> oldest(String ownerId) {
        return redis.execute("XRANGE", stream(ownerId), "-", "+", "COUNT", "1")
                .map(reply -> reply == null || reply.size() == 0 ? null : reply.get(0).get(0).toString());
    }

    /** An event read back from the stream: its id and its JSON with the id in place. */
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
                    out.add(new Replayed(id, withId(id, fields.get(i + 1).toString())));
                }
            }
        }
        return out;
    }

    static String withId(String id, String eventWithoutId) {
        return "{\"id\":\"" + id + "\"," + eventWithoutId.substring(1);
    }

    private String withoutId(String ownerId, String type, String subject, Object data) {
        CloudEvent event = new CloudEvent("1.0", null, SOURCE, type, subject, Instant.now(), "application/json",
                mapper.valueToTree(data), ownerId);
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unwritable event " + type, e);
        }
    }

    private String stream(String ownerId) {
        return names.key("session", "events", ownerId);
    }
}
