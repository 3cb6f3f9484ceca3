package dev.suite.commons.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Publishes CloudEvents on Redis pub/sub. Pub/sub carries notifications that may be lost, so a
 * failed publish is logged and swallowed: the write that caused it has already committed.
 */
@ApplicationScoped
public class EventPublisher {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    private final ReactivePubSubCommands<String> pubsub;
    private final ObjectMapper mapper;

    public EventPublisher(ReactiveRedisDataSource redis, ObjectMapper mapper) {
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
}
