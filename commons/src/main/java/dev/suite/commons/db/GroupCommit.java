package dev.suite.commons.db;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Writes what concurrent callers submit in shared batches: while a write is in flight, new
 * submissions wait and go together in the next one. One caller alone is written at once, so a quiet
 * service adds no delay; a busy one commits tens of rows per transaction instead of one, which is
 * what keeps durable writes ({@code innodb_flush_log_at_trx_commit=1}) fast.
 *
 * <p>The write answers one result per item, in order, and stores all of a batch or nothing (one
 * transaction). When a shared batch fails, its submissions are written again one by one, so one
 * caller's bad row (a duplicate key) fails that caller only. With one write in flight, items are
 * written in the order they were submitted. Each caller resumes on its own Vert.x context, as it
 * would after a write of its own.
 *
 * @param <T> what is written
 * @param <R> what each item answers
 */
public final class GroupCommit<T, R> {

    private final Function<List<T>, Uni<List<R>>> write;
    private final int maxItems;
    private final int maxInFlight;
    private final ArrayDeque<Submission<T, R>> waiting = new ArrayDeque<>();
    private int waitingItems;
    private int inFlight;

    /**
     * @param write       writes a batch in one transaction, answering one result per item in order
     * @param maxItems    items per batch (a submission larger than this goes alone)
     * @param maxInFlight batches written at once (each holds a connection; 1 keeps submission order)
     */
    public GroupCommit(Function<List<T>, Uni<List<R>>> write, int maxItems, int maxInFlight) {
        this.write = write;
        this.maxItems = maxItems;
        this.maxInFlight = maxInFlight;
    }

    /** Writes that answer nothing per item, one batch at a time, in the order items were submitted. */
    public static <T> GroupCommit<T, Void> inOrder(Function<List<T>, Uni<Void>> write, int maxItems) {
        return new GroupCommit<>(items -> write.apply(items).map(done -> Collections.nCopies(items.size(), null)),
                maxItems, 1);
    }

    public Uni<R> submit(T item) {
        return submitAll(List.of(item)).map(results -> results.get(0));
    }

    /**
     * Writes these items together, with whatever else is waiting; answers their results in order.
     * They are queued now, not when the answer is subscribed to: the order of calls is the order of
     * writing.
     */
    public Uni<List<R>> submitAll(List<T> items) {
        Submission<T, R> submission = new Submission<>(items, new CompletableFuture<>(), Vertx.currentContext());
        synchronized (this) {
            waiting.add(submission);
            waitingItems += items.size();
        }
        writeNext();
        return Uni.createFrom().completionStage(submission.answer());
    }

    /**
     * Submits without waiting for the write — unless more than {@code highWater} items wait already;
     * then waits for it, so a producer slows down instead of the backlog growing. A failed write is
     * the writer's to report.
     */
    public Uni<Void> offer(T item, int highWater) {
        boolean backlog;
        synchronized (this) {
            backlog = waitingItems >= highWater;
        }
        Uni<Void> written = submit(item).replaceWithVoid().onFailure().recoverWithNull();
        return backlog ? written : Uni.createFrom().voidItem();
    }

    private void writeNext() {
        List<Submission<T, R>> batch = new ArrayList<>();
        synchronized (this) {
            if (inFlight >= maxInFlight || waiting.isEmpty()) {
                return;
            }
            int size = 0;
            while (!waiting.isEmpty() && (batch.isEmpty() || size + waiting.peek().items().size() <= maxItems)) {
                Submission<T, R> next = waiting.poll();
                batch.add(next);
                size += next.items().size();
            }
            waitingItems -= size;
            inFlight++;
        }
        List<T> items = new ArrayList<>();
        batch.forEach(s -> items.addAll(s.items()));
        attempt(items).subscribe().with(results -> {
            int from = 0;
            for (Submission<T, R> s : batch) {
                s.complete(results.subList(from, from + s.items().size()));
                from += s.items().size();
            }
            written();
        }, failure -> {
            if (batch.size() == 1) {
                batch.get(0).fail(failure);
                written();
            } else {
                writeAlone(batch, 0);
            }
        });
    }

    /** Writes the submissions of a failed batch one by one, in order, still holding its turn. */
    private void writeAlone(List<Submission<T, R>> batch, int index) {
        if (index == batch.size()) {
            written();
            return;
        }
        Submission<T, R> s = batch.get(index);
        attempt(s.items()).subscribe().with(results -> {
            s.complete(results);
            writeAlone(batch, index + 1);
        }, failure -> {
            s.fail(failure);
            writeAlone(batch, index + 1);
        });
    }

    private Uni<List<R>> attempt(List<T> items) {
        try {
            return write.apply(items);
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(e);
        }
    }

    private void written() {
        synchronized (this) {
            inFlight--;
        }
        writeNext();
    }

    private record Submission<T, R>(List<T> items, CompletableFuture<List<R>> answer, Context context) {

        void complete(List<R> results) {
            List<R> mine = Collections.unmodifiableList(new ArrayList<>(results));
            resume(() -> answer.complete(mine));
        }

        void fail(Throwable failure) {
            resume(() -> answer.completeExceptionally(failure));
        }

        private void resume(Runnable action) {
            if (context == null || context == Vertx.currentContext()) {
                action.run();
            } else {
                context.runOnContext(ignored -> action.run());
            }
        }
    }
}
