package dev.suite.mcp.registry;

import dev.suite.commons.events.CloudEvent;
import dev.suite.commons.events.EventSubscriber;
import dev.suite.commons.ids.Ids;
import dev.suite.commons.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This replica's copy of server rows for the proxy's hot path, which would otherwise read MySQL
 * on every MCP message. A row is dropped when any replica changes or deletes it (its event), at
 * once on the replica that made the change, and all rows after a lost Redis subscription.
 */
@ApplicationScoped
public class ServerCache {

    private final Map<String, McpServer> rows = new ConcurrentHashMap<>();
    /** Bumped by every eviction, so that a load racing with one does not store the row it replaced. */
    private final AtomicLong evictions = new AtomicLong();
    private final McpServerRepository servers;
    private final EventSubscriber subscriber;
    private final McpServerEvents events;

    public ServerCache(McpServerRepository servers, EventSubscriber subscriber, McpServerEvents events) {
        this.servers = servers;
        this.subscriber = subscriber;
        this.events = events;
    }

    void listen(@Observes StartupEvent event) {
        subscriber.subscribe(events.channel(), this::onEvent, this::clear);
    }

    /** The owner's server (a detached row: read it, never change it); 404 as for a missing one otherwise. */
    public Uni<McpServer> owned(String ownerId, String serverId) {
        McpServer cached = rows.get(serverId);
        if (cached != null) {
            return cached.ownerId.equals(ownerId) ? Uni.createFrom().item(cached)
                    : Uni.createFrom().failure(ProblemException.notFound("MCP server"));
        }
        if (!Ids.isId(serverId)) {
            return Uni.createFrom().failure(ProblemException.notFound("MCP server"));
        }
        long before = evictions.get();
        return Panache.withSession(() -> servers.findById(serverId))
                .invoke(row -> {
                    if (row != null && evictions.get() == before) {
                        rows.put(serverId, row);
                    }
                })
                .map(row -> {
                    if (row == null || !row.ownerId.equals(ownerId)) {
                        throw ProblemException.notFound("MCP server");
                    }
                    return row;
                });
    }

    public void evict(String serverId) {
        evictions.incrementAndGet();
        rows.remove(serverId);
    }

    private void onEvent(CloudEvent event) {
        if (McpServerEvents.UPDATED.equals(event.type()) || McpServerEvents.DELETED.equals(event.type())) {
            evict(event.subject());
        }
    }

    private void clear() {
        evictions.incrementAndGet();
        rows.clear();
    }
}
