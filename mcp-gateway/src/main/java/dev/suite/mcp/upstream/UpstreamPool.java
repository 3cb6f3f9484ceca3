package dev.suite.mcp.upstream;

import dev.suite.commons.events.CloudEvent;
import dev.suite.commons.events.EventSubscriber;
import dev.suite.mcp.McpSettings;
import dev.suite.mcp.registry.McpServer;
import dev.suite.mcp.registry.McpServerEvents;
import dev.suite.mcp.registry.McpServerMapper;
import dev.suite.mcp.registry.ServerSecrets;
import dev.suite.mcp.registry.ServerType;
import dev.suite.mcp.oauth.DiscoveredProtection;
import dev.suite.mcp.oauth.TokenVault;
import dev.suite.mcp.tools.ListChanges;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.jboss.logging.Logger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * This replica's connections to upstream servers, one per registered server, built from the row
 * and kept while the row is unchanged. A change or deletion on any replica arrives as an
 * {@code mcp.server.*} event and closes the connection here (which stops a stdio process); after a
 * lost Redis subscription every connection is dropped, since such events may have been missed.
 */
@ApplicationScoped
public class UpstreamPool {

    private static final Logger LOG = Logger.getLogger(UpstreamPool.class);

    private record Entry(Instant version, Upstream upstream) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final UpstreamHttp http;
    private final ServerSecrets secrets;
    private final McpServerMapper mapper;
    private final McpSettings settings;
    private final Vertx vertx;
    private final EventSubscriber subscriber;
    private final McpServerEvents events;
    private final ListChanges listChanges;
    private final TokenVault vault;
    private final DiscoveredProtection discovered;
    private final StdioLaunch launch;

    public UpstreamPool(UpstreamHttp http, ServerSecrets secrets, McpServerMapper mapper, McpSettings settings,
            Vertx vertx, EventSubscriber subscriber, McpServerEvents events, ListChanges listChanges, TokenVault vault,
            DiscoveredProtection discovered, StdioLaunch launch) {
        this.launch = launch;
        this.vault = vault;
        this.discovered = discovered;
        this.listChanges = listChanges;
        this.http = http;
        this.secrets = secrets;
        this.mapper = mapper;
        this.settings = settings;
        this.vertx = vertx;
        this.subscriber = subscriber;
        this.events = events;
    }

    void listen(@Observes StartupEvent event) {
        subscriber.subscribe(events.channel(), this::onServerEvent, this::closeAll);
    }

    void shutdown(@Observes ShutdownEvent event) {
        closeAll();
    }

    /** The connection to this server as the row describes it now. */
    public Upstream get(McpServer server) {
        Entry entry = entries.compute(server.id, (id, current) -> {
            if (current != null && current.version().equals(server.updatedAt)) {
                return current;
            }
            if (current != null) {
                current.upstream().close();
            }
            return new Entry(server.updatedAt, create(server));
        });
        return entry.upstream();
    }

    /** The connection if one is open, for status reports: null otherwise. */
    public Upstream peek(String serverId) {
        Entry entry = entries.get(serverId);
        return entry == null ? null : entry.upstream();
    }

    private Upstream create(McpServer server) {
        ServerType type = ServerType.fromWire(server.type).orElseThrow();
        if (type == ServerType.STDIO) {
            List<String> args = server.args == null ? List.of() : mapper.strings(server.args);
            return new StdioUpstream(new StdioUpstream.Command(server.id, server.name, server.command, args,
                    secrets.env(server), server.cwd), settings.stdio(), launch, vertx, notices(server));
        }
        Credentials credentials = server.oauth != null ? vault.credentials(server) : discovered.credentials(server);
        Target target = new Target(server.id, server.name, URI.create(server.url), secrets.headers(server), credentials);
        return type == ServerType.HTTP_POST
                ? new SseUpstream(target, http, vertx, settings.health().timeout(), notices(server))
                : new HttpStreamUpstream(target, http, vertx, settings.health().timeout(), notices(server));
    }

    /** A server's tool list changed: the shared cache forgets it, and aggregated clients hear of it. */
    private Consumer<JsonObject> notices(McpServer server) {
        String serverId = server.id;
        String ownerId = server.ownerId;
        return notice -> {
            if ("notifications/tools/list_changed".equals(notice.getString("method"))) {
                listChanges.toolsChanged(ownerId, serverId).subscribe().with(ok -> {
                }, e -> LOG.debugf("Tool list change of %s not propagated: %s", serverId, e.getMessage()));
            }
        };
    }

    private void onServerEvent(CloudEvent event) {
        if (McpServerEvents.UPDATED.equals(event.type()) || McpServerEvents.DELETED.equals(event.type())) {
            close(event.subject());
        }
    }

    public void close(String serverId) {
        Entry removed = entries.remove(serverId);
        if (removed != null) {
            removed.upstream().close();
        }
    }

    private void closeAll() {
        List.copyOf(entries.keySet()).forEach(this::close);
    }
}
