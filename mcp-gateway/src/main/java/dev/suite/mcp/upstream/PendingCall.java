package dev.suite.mcp.upstream;

import dev.suite.commons.problem.ProblemException;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.function.Consumer;

/**
 * One call in flight: completes once with the response or a failure, and owns its two timers —
 * the idle one restarted by every message about the call, the absolute one never. Both are
 * cancelled on completion, so a finished call leaves nothing scheduled.
 */
final class PendingCall {

    private final Vertx vertx;
    private final UniEmitter<? super JsonObject> emitter;
    private final Consumer<JsonObject> onNotification;
    private final CallLimits limits;
    private final String what;
    private final long totalTimer;
    private long idleTimer;
    private boolean done;
    private Runnable onDone = () -> {
    };

    PendingCall(Vertx vertx, UniEmitter<? super JsonObject> emitter, Consumer<JsonObject> onNotification,
            CallLimits limits, String what) {
        this.vertx = vertx;
        this.emitter = emitter;
        this.onNotification = onNotification;
        this.limits = limits;
        this.what = what;
        this.totalTimer = vertx.setTimer(limits.total().toMillis(), id -> fail(ProblemException.upstreamTimeout(
                what + " ran past its limit of " + limits.total().toSeconds() + " s")));
        this.idleTimer = vertx.setTimer(limits.idle().toMillis(), this::idleExpired);
        // A caller that stops waiting (a client gone) ends the call too: timers and table entry go.
        emitter.onTermination(this::finish);
    }

    /** Runs once when the call ends, however it ends (for example to drop it from a table of calls). */
    PendingCall onDone(Runnable action) {
        this.onDone = action;
        return this;
    }

    synchronized boolean isDone() {
        return done;
    }

    /** A message about the call arrived: it is alive. */
    void notification(JsonObject message) {
        synchronized (this) {
            if (done) {
                return;
            }
            vertx.cancelTimer(idleTimer);
            idleTimer = vertx.setTimer(limits.idle().toMillis(), this::idleExpired);
        }
        if (onNotification != null) {
            try {
                onNotification.accept(message);
            } catch (RuntimeException e) {
                fail(e);
            }
        }
    }

    void complete(JsonObject response) {
        if (finish()) {
            emitter.complete(response);
        }
    }

    void fail(Throwable failure) {
        if (finish()) {
            emitter.fail(failure);
        }
    }

    private void idleExpired(long timerId) {
        fail(ProblemException.upstreamTimeout(what + " got no answer or progress within "
                + limits.idle().toSeconds() + " s"));
    }

    private synchronized boolean finish() {
        if (done) {
            return false;
        }
        done = true;
        cancelTimers();
        onDone.run();
        return true;
    }

    private void cancelTimers() {
        vertx.cancelTimer(totalTimer);
        vertx.cancelTimer(idleTimer);
    }
}
