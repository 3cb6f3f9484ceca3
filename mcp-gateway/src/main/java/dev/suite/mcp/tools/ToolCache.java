package dev.suite.mcp.tools;

import dev.suite.commons.redis.RedisNames;
import dev.suite.mcp.McpSettings;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Each server's upstream tool list in Redis, shared by the replicas, for the TTL or until the
 * server says {@code list_changed} or is changed. The entry records the row's version, so an
 * edited server never serves the list of its previous URL. Redis being away only costs an
 * upstream call.
 */
@ApplicationScoped
public class ToolCache {

    private static final Logger LOG = Logger.getLogger(ToolCache.class);

    private final ReactiveValueCommands<String, String> values;
    private final ReactiveKeyCommands<String> keys;
    private final RedisNames names;
    private final McpSettings settings;

    public ToolCache(ReactiveRedisDataSource redis, RedisNames names, McpSettings settings) {
        this.values = redis.value(String.class, String.class);
        this.keys = redis.key(String.class);
        this.names = names;
        this.settings = settings;
    }

    public Uni<JsonArray> get(String serverId, long version) {
        return values.get(key(serverId))
                .map(text -> {
                    JsonObject entry = text == null ? null : new JsonObject(text);
                    return entry != null && entry.getLong("version", -1L) == version ? entry.getJsonArray("tools") : null;
                })
                .onFailure().recoverWithItem(e -> {
                    LOG.debugf("Tool cache unavailable: %s", e.getMessage());
                    return null;
                });
    }

    public Uni<Void> put(String serverId, long version, JsonArray tools) {
        String entry = new JsonObject().put("version", version).put("tools", tools).encode();
        return values.setex(key(serverId), settings.tools().cacheTtl().toSeconds(), entry)
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    public Uni<Void> evict(String serverId) {
        return keys.del(key(serverId)).onFailure().recoverWithNull().replaceWithVoid();
    }

    private String key(String serverId) {
        return names.key("mcp", "tools", serverId);
    }
}
