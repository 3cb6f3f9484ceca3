package dev.suite.commons.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * Publishes CloudEvents on Redis pub/sub. Pub/sub carries notifications that may be lost, so a
 * failed publish is logged and swallowed: the write that caused it has already committed.
 */
@ApplicationScoped
public class EventPublisher {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    /** Publishes ARGV[2..] on channel ARGV[1]: one round trip for many events. */
    private static final String PUBLISH_ALL = """
            for i = 2, #ARGV do redis.call('PUBLISH', ARGV[1], ARGV[i]) end
            return #ARGV - 1
            """;

    private final ReactiveRedisDataSource redis;
    private final ReactivePubSubCommands<String> pubsub;
    private final ObjectMapper mapper;

    public EventPublisher(ReactiveRedisDataSource redis, ObjectMapper mapper) {
        this.redis = redis;
        this.pubsub = redis.pubsub(String.class);
        this.mapper = mapper;
    }

    public Uni<Void> publish(String channel, CloudEvent event) {
        String json;
        try {
            json = mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return pubsub.publish(channel, json)
                .onFailure().invoke(e -> LOG.warnf("Could not publish %s %s on %s: %s",
                        event.type(), event.subject(), channel, e.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** Publishes events in order on one channel in one Redis call, as many writes committed together do. */
    public Uni<Void> publishAll(String channel, List<CloudEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> args = new ArrayList<>(events.size() + 4);
        args.add(PUBLISH_ALL);
        args.add("0");
        args.add(channel);
        try {
            for (CloudEvent event : events) {
                args.add(mapper.writeValueAsString(event));
            }
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return redis.execute("EVAL", args.toArray(String[]::new)).replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("Could not publish %d events on %s: %s", events.size(), channel,
                        e.getMessage()))
                .onFailure().recoverWithNull();
    }
}
