package dev.suite.llm.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.events.CloudEvent;
import dev.suite.commons.events.EventPublisher;
import dev.suite.commons.redis.RedisNames;
import dev.suite.llm.config.dto.LlmConfigEvent;
import dev.suite.llm.config.dto.LlmConfigResponse;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Publishes {@code llm.config.created|updated|deleted} on {@code suite:llm:config}, built from the API view. */
@ApplicationScoped
public class LlmConfigEvents {

    public static final String SOURCE = "/llm-service";
    public static final String CREATED = "llm.config.created";
    public static final String UPDATED = "llm.config.updated";
    public static final String DELETED = "llm.config.deleted";

    private final EventPublisher publisher;
    private final ObjectMapper mapper;
    private final String channel;

    public LlmConfigEvents(EventPublisher publisher, ObjectMapper mapper, RedisNames names) {
        this.publisher = publisher;
        this.mapper = mapper;
        this.channel = names.channel("llm", "config");
    }

    public String channel() {
        return channel;
    }

    public Uni<Void> publish(String type, String ownerId, LlmConfigResponse config) {
        var data = mapper.valueToTree(new LlmConfigEvent(ownerId, config));
        return publisher.publish(channel, CloudEvent.of(SOURCE, type, config.configId(), data));
    }
}
