package dev.suite.commons.db;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Writes what concurrent callers submit in shared batches: while a write is in flight, new
 * submissions wait and go together in the next one. One caller alone is written at once, so a quiet
 * service adds no delay; a busy one commits tens of rows per transaction instead of one, which is
 * what keeps durable writes ({@code innodb_flush_log_at_trx_commit=1}) fast.
 *
 * <p>The write answers one result per item, in order, and stores all of a batch or nothing (one
 * transaction). When a shared batch fails, each of its submissions is written again alone, so one
 * caller's bad row (a duplicate key) fails that caller only. Each caller resumes on its own Vert.x
 * context, as it would after a write of its own.
 *
 * @param <T> what is written
 * @param <R> what each item answers
 */
public final class GroupCommit<T, R> {

    private final Function<List<T>, Uni<List<R>>> write;
    private final int maxItems;
    private final int maxInFlight;
    private final ArrayDeque<Submission<T, R>> waiting = new ArrayDeque<>();
    private int inFlight;

    /**
     * @param write       writes a batch in one transaction, answering one result per item in order
     * @param maxItems    items per batch (a submission larger than this goes alone)
     * @param maxInFlight batches written at once (each holds a connection)
     */
    public GroupCommit(Function<List<T>, Uni<List<R>>> write, int maxItems, int maxInFlight) {
        this.write = write;
        this.maxItems = maxItems;
        this.maxInFlight = maxInFlight;
    }

    public Uni<R> submit(T item) {
        return submitAll(List.of(item)).map(results -> results.get(0));
    }

    /** Writes these items together, with whatever else is waiting; answers their results in order. */
    public Uni<List<R>> submitAll(List<T> items) {
        return Uni.createFrom().emitter(emitter -> {
            synchronized (this) {
                waiting.add(new Submission<>(items, emitter, Vertx.currentContext()));
            }
            writeNext();
        });
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
            inFlight++;
        }
        List<T> items = new ArrayList<>();
        batch.forEach(s -> items.addAll(s.items()));
        Uni<List<R>> written;
        try {
            written = write.apply(items);
        } catch (RuntimeException e) {
            written = Uni.createFrom().failure(e);
        }
        written.subscribe().with(results -> {
            written();
            int from = 0;
            for (Submission<T, R> s : batch) {
                List<R> mine = List.copyOf(results.subList(from, from + s.items().size()));
                from += s.items().size();
                s.answer(() -> s.emitter().complete(mine));
            }
        }, failure -> {
            written();
            if (batch.size() == 1) {
                batch.get(0).answer(() -> batch.get(0).emitter().fail(failure));
            } else {
                batch.forEach(this::writeAlone);
            }
        });
    }

    private void writeAlone(Submission<T, R> s) {
        Uni<List<R>> written;
        try {
            written = write.apply(s.items());
        } catch (RuntimeException e) {
            written = Uni.createFrom().failure(e);
        }
        written.subscribe().with(results -> s.answer(() -> s.emitter().complete(List.copyOf(results))),
                failure -> s.answer(() -> s.emitter().fail(failure)));
    }

    private void written() {
        synchronized (this) {
            inFlight--;
        }
        writeNext();
    }

    private record Submission<T, R>(List<T> items, UniEmitter<? super List<R>> emitter, Context context) {
        void answer(Runnable action) {
            if (context == null || context == Vertx.currentContext()) {
                action.run();
            } else {
                context.runOnContext(ignored -> action.run());
            }
        }
    }
}
