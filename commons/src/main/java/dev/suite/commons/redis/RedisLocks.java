package dev.suite.commons.redis;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * Leases in Redis shared by every replica: a key held by a token until it expires. Used for "one
 * replica per round" jobs (taken and left to expire), and for work one replica does at a time
 * (taken, renewed while it runs, released). Renew and release act only while the token still
 * holds the key, so a lease that expired and was taken by another replica is left alone.
 */
@ApplicationScoped
public class RedisLocks {

    private static final String RENEW = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 0
            """;
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """;

    private final ReactiveRedisDataSource redis;

    public RedisLocks(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /** Takes the key for {@code token} unless another holds it; answers whether it was taken. */
    public Uni<Boolean> acquire(String key, String token, Duration ttl) {
        return redis.execute("SET", key, token, "NX", "PX", Long.toString(Math.max(1, ttl.toMillis())))
                .map(reply -> reply != null);
    }

    /** Extends the lease while {@code token} holds it; answers whether it still did. */
    public Uni<Boolean> renew(String key, String token, Duration ttl) {
        return redis.execute("EVAL", RENEW, "1", key, token, Long.toString(Math.max(1, ttl.toMillis())))
                .map(reply -> reply.toLong() == 1);
    }

    /** Gives the key up if {@code token} still holds it. */
    public Uni<Void> release(String key, String token) {
        return redis.execute("EVAL", RELEASE, "1", key, token).replaceWithVoid();
    }
}
