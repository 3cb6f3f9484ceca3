package dev.suite.workflow;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Writes that many executions make at once, gathered for a moment and written together: one
 * round trip for all of them instead of one each. Each {@link #add} completes when its item is
 * written. At most one write is in flight; what arrives meanwhile goes in the next. When more than
 * {@code highWater} items wait, {@link #add} completes only after the next write, so producers
 * slow down instead of the backlog growing.
 */
public abstract class GroupCommit<T> {

    private static final Logger LOG = Logger.getLogger(GroupCommit.class);
    private static final long FAILURE_PAUSE_MILLIS = 1_000;

    private record Pending<T>(T item, CompletableFuture<Void> written) {
    }

    private final Vertx vertx;
    private final String name;
    private final long delayMillis;
    private final int highWater;
    private List<Pending<T>> pending = new ArrayList<>();
    private boolean scheduled;
    private boolean writing;

    protected GroupCommit(Vertx vertx, String name, Duration delay, int highWater) {
        this.vertx = vertx;
        this.name = name;
        this.delayMillis = Math.max(1, delay.toMillis());
        this.highWater = highWater;
    }

    /** Writes the items, in the order they were added. */
    protected abstract Uni<Void> write(List<T> items);

    /** Completes once the item is written (or its write failed). */
    public Uni<Void> add(T item) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        boolean schedule;
        synchronized (this) {
            pending.add(new Pending<>(item, written));
            schedule = !scheduled && !writing;
            scheduled |= schedule;
        }
        if (schedule) {
            vertx.setTimer(delayMillis, t -> flush());
        }
        return Uni.createFrom().completionStage(written);
    }

    /** Adds without waiting, unless the backlog is past its high-water mark (then waits for the write). */
    public Uni<Void> offer(T item) {
        Uni<Void> written = add(item);
        synchronized (this) {
            if (pending.size() <= highWater) {
                return Uni.createFrom().voidItem();
            }
        }
        return written.onFailure().recoverWithNull();
    }

    private void flush() {
        List<Pending<T>> batch;
        synchronized (this) {
            scheduled = false;
            if (writing || pending.isEmpty()) {
                return;
            }
            writing = true;
            batch = pending;
            pending = new ArrayList<>();
        }
        List<T> items = new ArrayList<>(batch.size());
        batch.forEach(p -> items.add(p.item()));
        Uni<Void> write;
        try {
            write = write(items);
        } catch (RuntimeException e) {
            write = Uni.createFrom().failure(e);
        }
        write.subscribe().with(ok -> done(batch, null), e -> done(batch, e));
    }

    private void done(List<Pending<T>> batch, Throwable failure) {
        if (failure != null) {
            LOG.warnf("Could not write %d %s: %s", batch.size(), name, failure.getMessage());
        }
        boolean again;
        boolean pause = false;
        synchronized (this) {
            writing = false;
            if (failure != null && !scheduled) {
                // The store is failing: what waits (and what is written again) goes after a pause.
                scheduled = true;
                pause = true;
            }
            again = !pause && !pending.isEmpty() && !scheduled;
            scheduled |= again;
        }
        if (pause) {
            vertx.setTimer(FAILURE_PAUSE_MILLIS, t -> flush());
        }
        batch.forEach(p -> {
            if (failure == null) {
                p.written().complete(null);
            } else {
                p.written().completeExceptionally(failure);
            }
        });
        if (again) {
            // What came during the write has already waited: write it now.
            vertx.runOnContext(v -> flush());
        }
    }
}
