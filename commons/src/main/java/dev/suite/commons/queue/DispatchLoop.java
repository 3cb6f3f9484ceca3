package dev.suite.commons.queue;

import dev.suite.commons.events.EventSubscriber;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Runs a replica's dispatch rounds one at a time, without a thread of its own. A round is asked for
 * by a wake-up — work was queued (the queue's wake channel) or room freed here — and, since
 * wake-ups are notifications that can be lost, on every tick as well. A wake-up during a round
 * runs one more round after it; a round that took work runs again at once, until one finds nothing
 * to take or no room; a failed round (Redis or MySQL away) waits for the next tick.
 */
public final class DispatchLoop {

    private static final Logger LOG = Logger.getLogger(DispatchLoop.class);

    private final String what;
    private final Supplier<Uni<Boolean>> round;
    private final AtomicBoolean inRound = new AtomicBoolean();
    private volatile boolean again;
    private volatile boolean stopped;
    private long ticker = -1;

    /**
     * @param what  what is dispatched, for the log
     * @param round one round: takes what it can and answers whether it took anything
     */
    public DispatchLoop(String what, Supplier<Uni<Boolean>> round) {
        this.what = what;
        this.round = round;
    }

    /** Listens for wake-ups on {@code wakeChannel} and looks at the queue every {@code tick}. */
    public void start(Vertx vertx, EventSubscriber subscriber, String wakeChannel, Duration tick) {
        subscriber.subscribe(wakeChannel, event -> wake(), this::wake);
        ticker = vertx.setPeriodic(tick.toMillis(), t -> wake());
        wake();
    }

    /** Asks for a round: now, or right after the one in progress. */
    public void wake() {
        if (stopped) {
            return;
        }
        again = true;
        if (!inRound.compareAndSet(false, true)) {
            return;
        }
        again = false;
        Uni<Boolean> next;
        try {
            next = round.get();
        } catch (RuntimeException e) {
            next = Uni.createFrom().failure(e);
        }
        next.subscribe().with(took -> {
            inRound.set(false);
            if (took || again) {
                wake();
            }
        }, failure -> {
            inRound.set(false);
            LOG.warnf("Dispatch of %s paused until the next tick: %s", what, failure.getMessage());
        });
    }

    /** No more rounds (a round in progress finishes). */
    public void stop(Vertx vertx) {
        stopped = true;
        if (ticker >= 0) {
            vertx.cancelTimer(ticker);
        }
    }
}
