package dev.suite.commons.redis;

import dev.suite.commons.problem.ProblemException;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Fixed-window rate limits kept in Redis, so every replica counts against the same bucket. What
 * happens while Redis is away is the caller's choice ({@link WhenRedisIsAway}): a limit that guards
 * something sensitive (how fast secrets can be revealed) refuses with 503 rather than silently stop
 * limiting; a limit that only paces work stored in MySQL (task creates, workflow submissions) keeps
 * counting in this replica, so the work is still accepted.
 */
@ApplicationScoped
public class RateLimiter {

    /**
     * Counts {@code ARGV[2]} hits unless they would pass the limit {@code ARGV[3]} (a refused
     * request takes nothing from the window), starting the window on the first; answers
     * {count with these hits, ms left in the window}, atomically.
     */
    private static final String HIT = """
            local n = tonumber(redis.call('GET', KEYS[1]) or '0') + tonumber(ARGV[2])
            if n <= tonumber(ARGV[3]) then
              redis.call('INCRBY', KEYS[1], ARGV[2])
            end
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < 0 then
              if n <= tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
              ttl = tonumber(ARGV[1])
            end
            return {n, ttl}
            """;

    /** What a limit does while Redis does not answer. */
    public enum WhenRedisIsAway {
        /** Refuse the action with 503. */
        REFUSE,
        /** Count in this replica, with the same limit per replica. */
        COUNT_HERE
    }

    private static final Logger LOG = Logger.getLogger(RateLimiter.class);

    private final ReactiveRedisDataSource redis;
    private final LocalWindows local = new LocalWindows(System::currentTimeMillis);

    public RateLimiter(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /**
     * @return a Uni that fails with 429 (and {@code Retry-After}) once {@code limit} hits were made
     *         in the current window of {@code key}
     */
    public Uni<Void> hit(String key, int limit, Duration window, String what, WhenRedisIsAway whenAway) {
        return hits(key, 1, limit, window, what, whenAway);
    }

    /** {@code count} hits at once (a batch): all counted, or refused with 429 and none counted. */
    public Uni<Void> hits(String key, int count, int limit, Duration window, String what, WhenRedisIsAway whenAway) {
        return redis.execute("EVAL", HIT, "1", key, Long.toString(window.toMillis()), Integer.toString(count),
                        Integer.toString(limit))
                .map(reply -> new LocalWindows.Hit(reply.get(0).toLong(), reply.get(1).toLong()))
                .onFailure().recoverWithUni(e -> {
                    if (whenAway == WhenRedisIsAway.REFUSE) {
                        return Uni.createFrom().failure(ProblemException.unavailable(
                                "Rate limiting is unavailable (Redis did not answer); try again shortly.", Duration.ofSeconds(5)));
                    }
                    LOG.debugf("Redis did not answer (%s): %s counted in this replica", e.getMessage(), what);
                    return Uni.createFrom().item(local.hit(key, count, limit, window.toMillis()));
                })
                .onItem().transformToUni(hit -> {
                    if (hit.count() > limit) {
                        return Uni.createFrom().failure(ProblemException.tooManyRequests(
                                "Too many " + what + ": at most " + limit + " per " + describe(window) + ".",
                                Duration.ofMillis(hit.millisLeft())));
                    }
                    return Uni.createFrom().voidItem();
                });
    }

    private static String describe(Duration window) {
        long seconds = window.toSeconds();
        return seconds % 3600 == 0 ? (seconds / 3600) + " h" : seconds % 60 == 0 ? (seconds / 60) + " min" : seconds + " s";
    }
}
