package dev.suite.task.tasks;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The quota of unfinished tasks per user, without a count query on every create. This replica
 * trusts the count it last read for a second, plus what it admitted since; a create that would pass
 * the quota by that reckoning is decided on a fresh count, so nobody is refused on a stale one. What
 * other replicas admitted within that second may pass the quota by as much — a soft limit, as it
 * always was between a count and an insert.
 */
@ApplicationScoped
public class UnfinishedTasks {

    static final Duration TRUSTED_FOR = Duration.ofSeconds(1);

    private final TaskStore store;
    private final Map<String, Count> counts = new ConcurrentHashMap<>();

    public UnfinishedTasks(TaskStore store) {
        this.store = store;
    }

    /** A count read at {@code readAt} (nanoTime), plus what was admitted here since. */
    private record Count(AtomicLong value, long readAt) {
        boolean fresh() {
            return System.nanoTime() - readAt < TRUSTED_FOR.toNanos();
        }
    }

    /** Whether {@code ownerId} may have {@code adding} more unfinished tasks under {@code limit}; counts them if so. */
    public Uni<Boolean> admit(String ownerId, int adding, int limit) {
        Count known = counts.get(ownerId);
        if (known != null && known.fresh()) {
            long after = known.value().addAndGet(adding);
            if (after <= limit) {
                return Uni.createFrom().item(true);
            }
            known.value().addAndGet(-adding);
        }
        long readAt = System.nanoTime();
        return store.countActive(ownerId).map(active -> {
            boolean admitted = active + adding <= limit;
            counts.put(ownerId, new Count(new AtomicLong(admitted ? active + adding : active), readAt));
            return admitted;
        });
    }

    /** Forgets counts nobody used lately, so the map holds only active users. */
    @Scheduled(every = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void forgetStale() {
        counts.values().removeIf(count -> !count.fresh());
    }
}
