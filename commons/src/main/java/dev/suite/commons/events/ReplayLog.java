package dev.suite.commons.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.redis.StreamIds;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Events a live client is replayed after it reconnects ({@code /ws/sessions}, {@code /ws/tasks}):
 * each is appended to its owner's capped Redis stream and published on the channel in one
 * script, so the stream entry id is the event's id. A client that comes back with the last id it
 * saw reads the rest of its owner's stream with {@link #after}.
 *
 * <p>Like all pub/sub here, publishing is best effort: the write that caused an event has
 * committed, so a Redis failure is logged, not answered.
 */
public final class ReplayLog {

    private static final Logger LOG = Logger.getLogger(ReplayLog.class);

    /**
     * KEYS: each event's owner stream; ARGV: channel, cap, TTL in ms, then the events without ids.
     * Appends each event to its stream (bounded) and publishes it with its entry id; refreshes
     * each stream's TTL once per call, as a batch often holds many events of one owner.
     */
    private static final String APPEND_AND_PUBLISH = """
            local touched = {}
            for i = 1, #KEYS do
              local event = ARGV[3 + i]
              local id = redis.call('XADD', KEYS[i], 'MAXLEN', '~', ARGV[2], '*', 'e', event)
              redis.call('PUBLISH', ARGV[1], '{"id":"' .. id .. '",' .. string.sub(event, 2))
              touched[KEYS[i]] = true
            end
            for key in pairs(touched) do
              redis.call('PEXPIRE', key, ARGV[3])
            end
            return #KEYS
            """;

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper mapper;
    private final Function<String, String> streamOfOwner;
    private final String channel;
    private final int size;
    private final Duration ttl;

    /**
     * @param streamOfOwner the Redis key of an owner's stream
     * @param size          events kept per owner (approximately: trimmed with {@code MAXLEN ~})
     * @param ttl           how long an owner's stream outlives its last event
     */
    public ReplayLog(ReactiveRedisDataSource redis, ObjectMapper mapper, Function<String, String> streamOfOwner,
            String channel, int size, Duration ttl) {
        this.redis = redis;
        this.mapper = mapper;
        this.streamOfOwner = streamOfOwner;
        this.channel = channel;
        this.size = size;
        this.ttl = ttl;
    }

    public String channel() {
        return channel;
    }

    /** Appends and publishes one event of its {@code owner}; its id is given by the stream. */
    public Uni<Void> append(CloudEvent event) {
        return appendAll(List.of(event));
    }

    /** Appends and publishes events in order, in one Redis call, as writes committed together do. */
    public Uni<Void> appendAll(List<CloudEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> args = new ArrayList<>(2 * events.size() + 6);
        args.add(APPEND_AND_PUBLISH);
        args.add(Integer.toString(events.size()));
        List<String> bodies = new ArrayList<>(events.size());
        try {
            for (CloudEvent event : events) {
                args.add(streamOfOwner.apply(event.owner()));
                // Without an id: the stream entry's id is put in its place.
                bodies.add(mapper.writeValueAsString(new CloudEvent(event.specversion(), null, event.source(),
                        event.type(), event.subject(), event.time(), event.datacontenttype(), event.data(), event.owner(),
                        event.traceparent())));
            }
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        args.add(channel);
        args.add(Integer.toString(size));
        args.add(Long.toString(ttl.toMillis()));
        args.addAll(bodies);
        return redis.execute("EVAL", args.toArray(String[]::new)).replaceWithVoid()
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("Could not publish %d %s event(s): %s", events.size(), events.get(0).type(), e.getMessage());
                    return Uni.createFrom().voidItem();
                });
    }

    /** The owner's events after {@code lastEventId}, oldest first, each with its id; at most {@code max}. */
    public Uni<List<Replayed>> after(String ownerId, String lastEventId, int max) {
        return redis.execute("XRANGE", streamOfOwner.apply(ownerId), "(" + lastEventId, "+", "COUNT", Integer.toString(max))
                .map(ReplayLog::entries);
    }

    /** The id of the owner's oldest kept event, or null when the log is empty. */
    public Uni<String> oldest(String ownerId) {
        return redis.execute("XRANGE", streamOfOwner.apply(ownerId), "-", "+", "COUNT", "1")
                .map(reply -> reply == null || reply.size() == 0 ? null : reply.get(0).get(0).toString());
    }

    /**
     * The replay half of a reconnect: the owner's events after {@code lastEventId} (at most
     * {@code max}) whose subject the client follows, handed to {@code endReplay} in order. The
     * client is told first ({@code replay.incomplete}) when some were already dropped from the
     * capped log, and when Redis cannot be read gets an empty replay and a 503 error message, so its
     * held-back live events still flow. {@code notify} sends one JSON message to the client.
     */
    public Uni<Void> replay(String ownerId, String lastEventId, int max, Predicate<String> follows,
            Consumer<List<Replayed>> endReplay, Consumer<String> notify) {
        return oldest(ownerId)
                .chain(oldest -> after(ownerId, lastEventId, max).invoke(missed -> {
                    if (StreamIds.lostAfter(lastEventId, oldest)) {
                        notify.accept(mapper.createObjectNode().put("type", "replay.incomplete")
                                .put("detail", "events after last_event_id were dropped from the log; reload").toString());
                    }
                    endReplay.accept(missed.stream().filter(event -> follows.test(subjectOf(event.json()))).toList());
                }))
                .onFailure().invoke(e -> {
                    endReplay.accept(List.of());
                    notify.accept(mapper.createObjectNode().put("type", "error").put("status", 503)
                            .put("detail", "replay unavailable: " + e.getMessage()).toString());
                })
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private String subjectOf(String json) {
        try {
            return mapper.readTree(json).path("subject").asText(null);
        } catch (JsonProcessingException e) {
            return null;
        }
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
}
