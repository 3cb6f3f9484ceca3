package dev.suite.workflow.caching;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.calls.Background;
import dev.suite.commons.redis.RedisNames;
import dev.suite.workflow.WorkflowSettings;
import dev.suite.workflow.engine.ResultCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Map;

/**
 * Node outputs kept in Redis, per owner, for {@code suite.workflow.node-cache-ttl}: a cache, so a
 * Redis that forgets them (or is away) only makes nodes run again. Outputs larger than
 * {@code inline-output-bytes} are not kept.
 */
@ApplicationScoped
public class NodeCache {

    private static final Logger LOG = Logger.getLogger(NodeCache.class);
    private static final TypeReference<Map<String, JsonNode>> OUTPUTS = new TypeReference<>() { };

    private final ReactiveRedisDataSource redis;
    private final RedisNames names;
    private final ObjectMapper mapper;
    private final WorkflowSettings settings;
    private final Counter hits;
    private final Counter misses;

    public NodeCache(ReactiveRedisDataSource redis, RedisNames names, ObjectMapper mapper, WorkflowSettings settings,
            MeterRegistry registry) {
        this.redis = redis;
        this.names = names;
        this.mapper = mapper;
        this.settings = settings;
        this.hits = Counter.builder("workflow.node.cache").tag("outcome", "hit").register(registry);
        this.misses = Counter.builder("workflow.node.cache").tag("outcome", "miss").register(registry);
    }

    /** The cache of one owner's runs: nobody reuses another user's outputs. */
    public ResultCache of(String ownerId) {
        return new ResultCache() {
            @Override
            public Uni<Map<String, JsonNode>> find(String key) {
                return redis.execute("GET", names.key("workflow", "cache", ownerId, key)).map(reply -> {
                    if (reply == null) {
                        misses.increment();
                        return null;
                    }
                    hits.increment();
                    try {
                        return mapper.readValue(reply.toString(), OUTPUTS);
                    } catch (Exception e) {
                        return null;
                    }
                });
            }

            @Override
            public void keep(String key, Map<String, JsonNode> outputs) {
                String json;
                try {
                    json = mapper.writeValueAsString(outputs);
                } catch (Exception e) {
                    return;
                }
                if (json.length() > settings.inlineOutputBytes()) {
                    return;
                }
                Background.tidy(redis.execute("SET", names.key("workflow", "cache", ownerId, key), json, "PX",
                        Long.toString(settings.nodeCacheTtl().toMillis())), LOG, "Keeping a node's outputs");
            }
        };
    }
}
