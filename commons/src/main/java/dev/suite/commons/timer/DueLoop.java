package dev.suite.commons.timer;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A replica's loop over a {@link DueSet}: it sleeps until the earliest item is due, claims what is
 * due (a batch at a time), hands it to the owner and puts the next due times the owner answers.
 * Every replica runs one; the claim's lease keeps them from handling the same item together. Items
 * another replica adds are seen within {@code maxIdle}; items added here wake the loop at once
 * ({@link #wake}), so they run on time.
 */
public final class DueLoop {

    private static final Logger LOG = Logger.getLogger(DueLoop.class);

    /** Handles claimed items; answers each one's next due time, null when it is done (removed from the set). */
    @FunctionalInterface
    public interface Handler {
        Uni<Map<String, Instant>> handle(List<DueSet.Due> due, Instant now);
    }

    private final String what;
    private final DueSet set;
    private final Handler handler;
    private final int batch;
    private final Duration lease;
    private final Duration maxIdle;
    private final AtomicBoolean inRound = new AtomicBoolean();
    private volatile boolean again;
    private Vertx vertx;
    private volatile boolean stopped;
    /** When the next round is wanted (null: at the idle check); guarded by this. */
    private Instant wanted;
    private long timer = -1;

    /**
     * @param what    what is due, for the log
     * @param batch   items claimed per round
     * @param lease   how long a claimed item is this replica's before another may claim it
     * @param maxIdle the longest sleep, which bounds how late an item added elsewhere is seen
     */
    public DueLoop(String what, DueSet set, Handler handler, int batch, Duration lease, Duration maxIdle) {
        this.what = what;
        this.set = set;
        this.handler = handler;
        this.batch = batch;
        this.lease = lease;
        this.maxIdle = maxIdle;
    }

    public void start(Vertx vertx) {
        this.vertx = vertx;
        wake(Instant.now());
    }

    public void stop() {
        stopped = true;
        synchronized (this) {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }
    }

    /** Sets when an item is due (null: never again, removed) and wakes this replica's loop for it. */
    public Uni<Void> put(String id, Instant at) {
        Map<String, Instant> one = new HashMap<>();
        one.put(id, at);
        return set.put(one).invoke(() -> {
            if (at != null) {
                wake(at);
            }
        });
    }

    /**
     * Adds the items the set lacks from the owner's truth — those due soon, read from MySQL — as
     * after Redis lost them; items it holds keep their time. A failure is logged and left to the
     * owner's next round.
     */
    public Uni<Void> restore(Uni<Map<String, Instant>> dueSoon) {
        return dueSoon.chain(set::putAbsent).onFailure().recoverWithItem(e -> {
            LOG.warnf("Timed %s not restored to Redis this round: %s", what, e.getMessage());
            return null;
        });
    }

    /** Asks for a round at {@code at} at the latest (an item due then was added or moved here). */
    public void wake(Instant at) {
        if (stopped || vertx == null) {
            return;
        }
        synchronized (this) {
            if (wanted != null && !at.isBefore(wanted) && timer >= 0) {
                return;
            }
            wanted = at;
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
            long delay = Math.max(1, Duration.between(Instant.now(), at).toMillis());
            timer = vertx.setTimer(delay, id -> {
                synchronized (this) {
                    if (timer == id) {
                        timer = -1;
                        wanted = null;
                    }
                }
                round();
            });
        }
    }

    private void round() {
        if (stopped) {
            return;
        }
        if (!inRound.compareAndSet(false, true)) {
            // Asked for while one runs (an item added meanwhile): another round right after it.
            again = true;
            return;
        }
        again = false;
        Instant now = Instant.now();
        Uni<Instant> next;
        try {
            next = set.claim(now, batch, lease).chain(claim -> claim.items().isEmpty() ? Uni.createFrom().item(claim.next())
                    : handler.handle(claim.items(), now).chain(times -> {
                        Map<String, Instant> put = new HashMap<>(times);
                        // An item the handler left out stays under its lease: claimed again when it lapses.
                        put.keySet().retainAll(claim.items().stream().map(DueSet.Due::id).toList());
                        return set.put(put).replaceWith(claim.items().size() == batch ? now
                                : earliest(claim.next(), put.values().stream().filter(Objects::nonNull)
                                        .min(Instant::compareTo).orElse(null)));
                    }));
        } catch (RuntimeException e) {
            next = Uni.createFrom().failure(e);
        }
        next.subscribe().with(at -> {
            inRound.set(false);
            Instant idle = Instant.now().plus(maxIdle);
            wake(again ? Instant.now() : at == null || at.isAfter(idle) ? idle : at);
        }, failure -> {
            inRound.set(false);
            LOG.warnf("Timed %s paused for %s: %s", what, maxIdle, failure.getMessage());
            wake(Instant.now().plus(maxIdle));
        });
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }
}
