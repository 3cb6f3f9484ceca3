package dev.suite.session.realtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.events.CloudEvent;
import dev.suite.commons.tracing.Traces;
import dev.suite.commons.events.ReplayLog;
import dev.suite.commons.redis.RedisNames;
import dev.suite.session.SessionSettings;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;

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

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper mapper;
    private final ReplayLog log;
    private final String controlChannel;

    public SessionEvents(ReactiveRedisDataSource redis, ObjectMapper mapper, RedisNames names, SessionSettings settings) {
        this.redis = redis;
        this.mapper = mapper;
        this.log = new ReplayLog(redis, mapper, owner -> names.key("session", "events", owner),
                names.channel("session", "events"), settings.replay().size(), settings.replay().ttl());
        this.controlChannel = names.channel("session", "control");
    }

    public String channel() {
        return log.channel();
    }

    /** The owners' logs of replayed events, which {@code /ws/sessions} reads after a reconnect. */
    public ReplayLog log() {
        return log;
    }

    /** Signals between replicas (a roundtable's stop request), apart from the events sockets follow. */
    public String controlChannel() {
        return controlChannel;
    }

    /** Publishes an event that reconnecting clients are replayed; {@code subject} is a session or roundtable id. */
    public Uni<Void> publish(String ownerId, String type, String subject, Object data) {
        return log.append(event(ownerId, type, subject, data));
    }

    /** An event without an id: a replayed one gets its log entry's, the others need none. */
    private CloudEvent event(String ownerId, String type, String subject, Object data) {
        return new CloudEvent("1.0", null, SOURCE, type, subject, Instant.now(), "application/json",
                mapper.valueToTree(data), ownerId, Traces.current());
    }

    /** Publishes an event that is not replayed (a turn delta). */
    public Uni<Void> publishTransient(String type, String subject, Object data) {
        return publishOn(log.channel(), type, subject, data);
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

    private String withoutId(String ownerId, String type, String subject, Object data) {
        CloudEvent event = event(ownerId, type, subject, data);
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unwritable event " + type, e);
        }
    }
}
