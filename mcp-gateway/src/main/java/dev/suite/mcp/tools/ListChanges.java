package dev.suite.mcp.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.events.CloudEvent;
import dev.suite.commons.events.EventPublisher;
import dev.suite.mcp.registry.McpServerEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;

/**
 * An upstream said its tool list changed: the shared cache forgets it and every replica hears
 * {@code mcp.server.tools_changed}, so clients of the aggregated endpoint are told.
 */
@ApplicationScoped
public class ListChanges {

    public static final String TOOLS_CHANGED = "mcp.server.tools_changed";

    private final ToolCache cache;
    private final EventPublisher publisher;
    private final McpServerEvents events;
    private final ObjectMapper mapper;

    public ListChanges(ToolCache cache, EventPublisher publisher, McpServerEvents events, ObjectMapper mapper) {
        this.cache = cache;
        this.publisher = publisher;
        this.events = events;
        this.mapper = mapper;
    }

    public Uni<Void> toolsChanged(String ownerId, String serverId) {
        CloudEvent event = CloudEvent.of(McpServerEvents.SOURCE, TOOLS_CHANGED, serverId,
                mapper.valueToTree(Map.of("owner_id", ownerId, "server_id", serverId)));
        return cache.evict(serverId).chain(() -> publisher.publish(events.channel(), event));
    }
}
