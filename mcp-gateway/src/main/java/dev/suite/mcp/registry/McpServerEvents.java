package dev.suite.mcp.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.events.CloudEvent;
import dev.suite.commons.events.EventPublisher;
import dev.suite.commons.redis.RedisNames;
import dev.suite.mcp.registry.dto.McpServerEvent;
import dev.suite.mcp.registry.dto.McpServerResponse;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Publishes {@code mcp.server.created|updated|deleted} on {@code suite:mcp:server}, built from the API view. */
@ApplicationScoped
public class McpServerEvents {

    public static final String SOURCE = "/mcp-gateway";
    public static final String CREATED = "mcp.server.created";
    public static final String UPDATED = "mcp.server.updated";
    public static final String DELETED = "mcp.server.deleted";

    private final EventPublisher publisher;
    private final ObjectMapper mapper;
    private final String channel;

    public McpServerEvents(EventPublisher publisher, ObjectMapper mapper, RedisNames names) {
        this.publisher = publisher;
        this.mapper = mapper;
        this.channel = names.channel("mcp", "server");
    }

    public String channel() {
        return channel;
    }

    public Uni<Void> publish(String type, String ownerId, McpServerResponse server) {
        var data = mapper.valueToTree(new McpServerEvent(ownerId, server));
        return publisher.publish(channel, CloudEvent.of(SOURCE, type, server.serverId(), data));
    }
}
