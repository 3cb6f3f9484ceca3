package dev.suite.commons.redis;

import dev.suite.commons.problem.ProblemException;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * Fixed-window rate limits kept in Redis, so every replica counts against the same bucket. When
 * Redis is away the limited action is refused with 503: a limit that silently stops limiting would
 * defeat its purpose (for example, bounding how fast secrets can be revealed).
 */
@ApplicationScoped
public class RateLimiter {

    /** Counts the hit and starts the window on the first one, atomically; answers {count, ms left}. */
    private static final String HIT = """
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
            return {n, ttl}
            """;

    private final ReactiveRedisDataSource redis;

    public RateLimiter(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /**
     * @return a Uni that fails with 429 (and {@code Retry-After}) once {@code limit} hits were made
     *         in the current window of {@code key}
     */
    public Uni<Void> hit(String key, int limit, Duration window, String what) {
        return redis.execute("EVAL", HIT, "1", key, Long.toString(window.toMillis()))
                .onFailure().transform(e -> ProblemException.unavailable(
                        "Rate limiting is unavailable (Redis did not answer); try again shortly.", Duration.ofSeconds(5)))
                .onItem().transformToUni(reply -> {
                    long count = reply.get(0).toLong();
                    long millisLeft = reply.get(1).toLong();
                    if (count > limit) {
                        return Uni.createFrom().failure(ProblemException.tooManyRequests(
                                "Too many " + what + ": at most " + limit + " per " + describe(window) + ".",
                                Duration.ofMillis(millisLeft)));
                    }
                    return Uni.createFrom().voidItem();
                });
    }

    private static String describe(Duration window) {
        long seconds = window.toSeconds();
        return seconds % 3600 == 0 ? (seconds / 3600) + " h" : seconds % 60 == 0 ? (seconds / 60) + " min" : seconds + " s";
    }
}
