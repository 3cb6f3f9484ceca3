package dev.suite.session.sessions;

import dev.suite.commons.db.Times;
import dev.suite.commons.redis.RedisLocks;
import dev.suite.commons.redis.RedisNames;
import dev.suite.session.SessionSettings;
import dev.suite.session.realtime.SessionEvents;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Deletes expired temporary sessions. Every replica wakes up each interval; only the one that wins
 * the Redis lease for the round purges, so replicas do not race over the same rows. Without Redis
 * no replica purges — expired sessions wait for the next round, which is harmless.
 */
@ApplicationScoped
public class SessionPurge {

    private static final Logger LOG = Logger.getLogger(SessionPurge.class);
    /** Sessions deleted per round at most, each in its own short statement. */
    static final int BATCH = 500;

    private final SessionStore store;
    private final SessionEvents events;
    private final RedisLocks locks;
    private final String leaseKey;
    private final Duration interval;
    private final String replica = UUID.randomUUID().toString();

    public SessionPurge(SessionStore store, SessionEvents events, RedisLocks locks, RedisNames names,
            SessionSettings settings) {
        this.store = store;
        this.events = events;
        this.locks = locks;
        this.leaseKey = names.key("session", "purge-lease");
        this.interval = settings.purgeInterval();
    }

    // The mapping's default makes the key resolvable here too: one default, in SessionSettings.
    @Scheduled(every = "${suite.session.purge-interval}", delayed = "${suite.session.purge-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        // The lease lasts a little less than the interval, so the next round can take it again.
        return locks.acquire(leaseKey, replica, interval.multipliedBy(9).dividedBy(10))
                .chain(mine -> mine ? purge(Times.now()).replaceWithVoid() : Uni.createFrom().voidItem())
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Temporary session purge skipped: %s", e.getMessage());
                    return null;
                });
    }

    /** Deletes up to {@link #BATCH} sessions expired at {@code now}; answers how many went. */
    public Uni<Integer> purge(Instant now) {
        return store.expired(now, BATCH)
                .onItem().transformToMulti(list -> Multi.createFrom().iterable(list))
                .onItem().transformToUniAndConcatenate(removed -> store.deleteIfExpired(removed.sessionId(), now)
                        .call(deleted -> deleted
                                ? events.publish(removed.ownerId(), SessionEvents.SESSION_DELETED, removed.sessionId(),
                                        new SessionService.Deleted(removed.sessionId()))
                                : Uni.createFrom().voidItem())
                        .map(deleted -> deleted ? 1 : 0))
                .collect().with(java.util.stream.Collectors.summingInt(n -> n))
                .invoke(count -> {
                    if (count > 0) {
                        LOG.infof("Purged %d expired temporary sessions", count);
                    }
                });
    }
}
