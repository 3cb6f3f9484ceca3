package dev.suite.mcp.oauth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.events.CloudEvent;
import dev.suite.commons.events.EventPublisher;
import dev.suite.commons.events.EventSubscriber;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.redis.RedisNames;
import dev.suite.mcp.McpSettings;
import dev.suite.mcp.registry.McpServer;
import dev.suite.mcp.registry.McpServerEvents;
import dev.suite.mcp.registry.McpServerMapper;
import dev.suite.mcp.registry.dto.OAuthSettings;
import dev.suite.mcp.upstream.Credentials;
import dev.suite.mcp.upstream.UpstreamAccess;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each user's tokens for their protected servers, handed to upstream requests as
 * {@link Credentials}. A token close to expiry, or refused with 401, is refreshed once for all:
 * single-flight within the replica, and across replicas under a Redis lock whose losers wait for
 * the winner's row. {@code invalid_grant} marks the tokens {@code needs_reauth}, and callers get a
 * 401 problem telling the user to authorise again. Opened tokens are kept per replica, dropped by
 * {@code mcp.oauth.tokens_changed} from any replica.
 */
@ApplicationScoped
public class TokenVault {

    public static final String TOKENS_CHANGED = "mcp.oauth.tokens_changed";
    private static final Logger LOG = Logger.getLogger(TokenVault.class);
    private static final Duration LOCK_TTL = Duration.ofSeconds(30);
    private static final Duration WAIT_FOR_WINNER = Duration.ofSeconds(15);

    private final TokenStore store;
    private final TokenEndpoint endpoint;
    private final OAuthClients clients;
    private final OAuthDiscovery discovery;
    private final McpServerMapper mapper;
    private final McpSettings settings;
    private final ReactiveValueCommands<String, String> values;
    private final RedisNames names;
    private final EventPublisher publisher;
    private final EventSubscriber subscriber;
    private final McpServerEvents events;
    private final ObjectMapper json;
    private final Map<String, TokenRow> cache = new ConcurrentHashMap<>();
    private final Map<String, Uni<TokenRow>> inFlight = new ConcurrentHashMap<>();
    private final String replica = UUID.randomUUID().toString();

    public TokenVault(TokenStore store, TokenEndpoint endpoint, OAuthClients clients, OAuthDiscovery discovery,
            McpServerMapper mapper, McpSettings settings, ReactiveRedisDataSource redis, RedisNames names,
            EventPublisher publisher, EventSubscriber subscriber, McpServerEvents events, ObjectMapper json) {
        this.store = store;
        this.endpoint = endpoint;
        this.clients = clients;
        this.discovery = discovery;
        this.mapper = mapper;
        this.settings = settings;
        this.values = redis.value(String.class, String.class);
        this.names = names;
        this.publisher = publisher;
        this.subscriber = subscriber;
        this.events = events;
        this.json = json;
    }

    void listen(@Observes StartupEvent event) {
        subscriber.subscribe(events.channel(), e -> {
            if (TOKENS_CHANGED.equals(e.type()) || McpServerEvents.DELETED.equals(e.type())
                    || McpServerEvents.UPDATED.equals(e.type())) {
                cache.remove(e.subject());
            }
        }, cache::clear);
    }

    /** The owner's credentials for a protected server. */
    public Credentials credentials(McpServer server) {
        return new Credentials() {
            @Override
            public Uni<String> authorization() {
                return current(server).chain(row -> row.expiresWithin(settings.oauth().refreshAhead())
                        ? refresh(server, row) : Uni.createFrom().item(row)).map(TokenVault::bearer);
            }

            @Override
            public Uni<String> refused(String value) {
                return current(server).chain(row -> bearer(row).equals(value) ? refresh(server, row)
                        : Uni.createFrom().item(row)).map(TokenVault::bearer);
            }

            @Override
            public Uni<String> challenged(String challenge) {
                // Every request to a server with oauth settings carries a token: one without had none to give.
                return Uni.createFrom().failure(UpstreamAccess.authorizationNeeded(server.name));
            }
        };
    }

    /** The row as stored; for a client_credentials server without one, a first token is fetched. */
    public Uni<TokenRow> current(McpServer server) {
        TokenRow cached = cache.get(server.id);
        Uni<TokenRow> row = cached != null ? Uni.createFrom().item(cached) : store.find(server.id).invoke(found -> {
            if (found != null) {
                cache.put(server.id, found);
            }
        });
        return row.chain(found -> {
            if (found == null && isClientCredentials(server)) {
                return singleFlight(server, () -> clientCredentials(server));
            }
            if (found == null || found.needsReauth() || found.accessToken() == null) {
                return Uni.createFrom().failure(UpstreamAccess.authorizationNeeded(server.name));
            }
            return Uni.createFrom().item(found);
        });
    }

    /** The stored row as it is (needs_reauth or not), or null: for status and revocation. */
    public Uni<TokenRow> rowIfAny(String serverId) {
        return store.find(serverId);
    }

    /** Stores tokens from a grant and tells every replica. */
    public Uni<TokenRow> store(TokenRow row) {
        return store.save(row).call(saved -> changed(saved.serverId(), saved.ownerId())).invoke(saved -> cache.put(saved.serverId(), saved));
    }

    public Uni<Void> forget(String serverId, String ownerId) {
        return store.delete(serverId).call(() -> changed(serverId, ownerId)).invoke(() -> cache.remove(serverId));
    }

    /** Refreshes now, whatever the expiry (the refresh route). */
    public Uni<TokenRow> refreshNow(McpServer server) {
        return store.find(server.id).chain(row -> {
            if (row == null) {
                return isClientCredentials(server) ? singleFlight(server, () -> clientCredentials(server))
                        : Uni.createFrom().failure(UpstreamAccess.authorizationNeeded(server.name));
            }
            return refresh(server, row);
        });
    }

    private Uni<TokenRow> refresh(McpServer server, TokenRow seen) {
        if (isClientCredentials(server)) {
            return singleFlight(server, () -> clientCredentials(server));
        }
        if (seen.refreshToken() == null) {
            return markNeedsReauth(seen, server, "no refresh token was issued");
        }
        return singleFlight(server, () -> lockedRefresh(server, seen));
    }

    /** One refresh per server at a time in this replica; later callers share its outcome. */
    private Uni<TokenRow> singleFlight(McpServer server, java.util.function.Supplier<Uni<TokenRow>> work) {
        // A Runnable, not a Supplier: the removed value is this very Uni, which must not be awaited here.
        return inFlight.computeIfAbsent(server.id, id -> work.get()
                .eventually(() -> {
                    inFlight.remove(id);
                })
                .memoize().indefinitely());
    }

    /** Across replicas: the lock holder refreshes; the others wait for its row. */
    private Uni<TokenRow> lockedRefresh(McpServer server, TokenRow seen) {
        String lock = names.key("mcp", "oauth-refresh", server.id);
        return values.set(lock, replica, new SetArgs().nx().px(LOCK_TTL))
                .chain(() -> values.get(lock))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Refresh lock unavailable (%s); refreshing %s without it", e.getMessage(), server.id);
                    return replica;
                })
                .chain(holder -> replica.equals(holder)
                        ? store.find(server.id).chain(latest -> latest != null && latest.updatedAt().isAfter(seen.updatedAt())
                                ? Uni.createFrom().item(latest) : doRefresh(server, latest == null ? seen : latest))
                                .eventually(() -> values.getdel(lock).onFailure().recoverWithNull())
                        : awaitWinner(server, seen, Instant.now().plus(WAIT_FOR_WINNER)));
    }

    private Uni<TokenRow> awaitWinner(McpServer server, TokenRow seen, Instant deadline) {
        return store.find(server.id).chain(latest -> {
            if (latest != null && latest.updatedAt().isAfter(seen.updatedAt())) {
                cache.put(server.id, latest);
                return latest.needsReauth() ? Uni.createFrom().failure(UpstreamAccess.authorizationNeeded(server.name))
                        : Uni.createFrom().item(latest);
            }
            if (Instant.now().isAfter(deadline)) {
                return Uni.createFrom().failure(ProblemException.unavailable(
                        "Another replica is refreshing the token of MCP server '" + server.name + "'; retry.",
                        Duration.ofSeconds(1)));
            }
            return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(200))
                    .chain(() -> awaitWinner(server, seen, deadline));
        });
    }

    private Uni<TokenRow> doRefresh(McpServer server, TokenRow row) {
        OAuthSettings oauth = mapper.oauth(server);
        return clients.resolve(server, oauth, row.clientKey())
                .chain(client -> endpoint.refresh(URI.create(row.tokenEndpoint()), client, row.refreshToken(),
                        resourceParam(oauth, row.resource())))
                .chain(tokens -> store(new TokenRow(row.serverId(), row.ownerId(), row.issuer(), row.tokenEndpoint(),
                        row.revocationEndpoint(), row.clientKey(), row.resource(), tokens.accessToken(),
                        tokens.refreshToken() != null ? tokens.refreshToken() : row.refreshToken(),
                        tokens.scope() != null ? tokens.scope() : row.scopes(), expiry(tokens), false, row.updatedAt())))
                .invoke(saved -> LOG.infof("Refreshed the token of MCP server %s", server.id))
                .onFailure(TokenEndpoint.InvalidGrant.class)
                .recoverWithUni(e -> markNeedsReauth(row, server, e.getMessage()));
    }

    private Uni<TokenRow> clientCredentials(McpServer server) {
        OAuthSettings oauth = mapper.oauth(server);
        return discovery.discover(server).chain(as -> {
            OAuthClient client = clients.configured(server, oauth);
            String scope = String.join(" ", OAuthFlows.scopes(as, oauth));
            return endpoint.clientCredentials(as.endpoint("token_endpoint"), client, scope, resourceParam(oauth, as.resource()))
                    .chain(tokens -> store(new TokenRow(server.id, server.ownerId, as.issuer(),
                            as.metadata().getString("token_endpoint"), as.metadata().getString("revocation_endpoint"),
                            null, as.resource(), tokens.accessToken(), null, tokens.scope(), expiry(tokens), false,
                            Instant.EPOCH)));
        });
    }

    private Uni<TokenRow> markNeedsReauth(TokenRow row, McpServer server, String why) {
        LOG.infof("Tokens of MCP server %s need a new authorization: %s", server.id, why);
        TokenRow stale = new TokenRow(row.serverId(), row.ownerId(), row.issuer(), row.tokenEndpoint(),
                row.revocationEndpoint(), row.clientKey(), row.resource(), null, null, row.scopes(), row.expiresAt(),
                true, row.updatedAt());
        return store(stale).chain(() -> Uni.createFrom().failure(UpstreamAccess.authorizationNeeded(server.name)));
    }

    private Uni<Void> changed(String serverId, String ownerId) {
        CloudEvent event = CloudEvent.of(McpServerEvents.SOURCE, TOKENS_CHANGED, serverId,
                json.valueToTree(Map.of("owner_id", ownerId, "server_id", serverId)));
        return publisher.publish(events.channel(), event).onFailure().recoverWithNull();
    }

    static Instant expiry(TokenEndpoint.Tokens tokens) {
        return tokens.expiresIn() == null ? null : Instant.now().plusSeconds(tokens.expiresIn());
    }

    static String resourceParam(OAuthSettings oauth, String resource) {
        return oauth != null && Boolean.TRUE.equals(oauth.omitResource) ? null : resource;
    }

    private boolean isClientCredentials(McpServer server) {
        OAuthSettings oauth = mapper.oauth(server);
        return oauth != null && "client_credentials".equals(oauth.grantType);
    }

    private static String bearer(TokenRow row) {
        return "Bearer " + row.accessToken();
    }
}
