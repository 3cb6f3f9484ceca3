package dev.suite.commons.quota;

import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A per-user cap on unfinished work (queued or running tasks, executions) without a count query on
 * every create. This replica trusts the count it last read for a second, plus what it admitted
 * since; a create that would pass the cap by that reckoning is decided on a fresh count, so nobody
 * is refused on a stale one. What other replicas admitted within that second may pass the cap by as
 * much: a soft limit, as it always is between a count and an insert.
 */
public final class UnfinishedQuota {

    private static final long TRUSTED_NANOS = Duration.ofSeconds(1).toNanos();
    private static final long FORGET_NANOS = Duration.ofMinutes(1).toNanos();

    /** Counts a user's unfinished work; may stop counting past {@code limit}. */
    public interface Counter {
        Uni<Long> count(String ownerId, int limit);
    }

    private final Counter counter;
    private final Map<String, Count> counts = new ConcurrentHashMap<>();
    private volatile long forgotAt = System.nanoTime();

    public UnfinishedQuota(Counter counter) {
        this.counter = counter;
    }

    /** A count read at {@code readAt} (nanoTime), plus what was admitted here since. */
    private record Count(AtomicLong value, long readAt) {
        boolean trusted(long now) {
            return now - readAt < TRUSTED_NANOS;
        }
    }

    /** Whether {@code ownerId} may have {@code adding} more unfinished under {@code limit}; counts them if so. */
    public Uni<Boolean> admit(String ownerId, int adding, int limit) {
        long now = System.nanoTime();
        Count known = counts.get(ownerId);
        if (known != null && known.trusted(now)) {
            if (known.value().addAndGet(adding) <= limit) {
                return Uni.createFrom().item(true);
            }
            known.value().addAndGet(-adding);
        }
        forgetStale(now);
        return counter.count(ownerId, limit).map(active -> {
            boolean admitted = active + adding <= limit;
            counts.put(ownerId, new Count(new AtomicLong(admitted ? active + adding : active), now));
            return admitted;
        });
    }

    /** Once a minute, forgets counts nobody used lately, so the map holds only active users. */
    private void forgetStale(long now) {
        if (now - forgotAt > FORGET_NANOS) {
            forgotAt = now;
            counts.values().removeIf(count -> !count.trusted(now));
        }
    }
}
