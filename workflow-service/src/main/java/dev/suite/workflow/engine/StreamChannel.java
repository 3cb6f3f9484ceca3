package dev.suite.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A streaming output on its way to the nodes that consume it. Each consumer reads through its own
 * queue of at most {@code capacity} chunks; the producer's {@link #emit} completes only when every
 * queue has room, so a slow consumer slows the producer and nothing grows without bound. A
 * consumer that ends (or is skipped) detaches, so it never holds the producer up.
 */
public final class StreamChannel {

    private final int capacity;
    private final List<Reader> readers = new ArrayList<>();
    private JsonNode waitingChunk;
    private CompletableFuture<Void> waitingEmit;
    private boolean closed;
    private Throwable failure;

    public StreamChannel(int capacity) {
        this.capacity = capacity;
    }

    /** A consumer's end; made before the producer starts, so it sees every chunk. */
    public synchronized Reader reader() {
        Reader reader = new Reader();
        readers.add(reader);
        return reader;
    }

    /** Hands a chunk to every consumer; completes when all of them have room for it. */
    public Uni<Void> emit(JsonNode chunk) {
        CompletableFuture<Void> wait;
        List<Runnable> wakeups;
        synchronized (this) {
            if (closed) {
                return Uni.createFrom().voidItem();
            }
            if (hasRoom()) {
                wakeups = deliver(chunk);
                wait = null;
            } else {
                waitingChunk = chunk;
                waitingEmit = new CompletableFuture<>();
                wait = waitingEmit;
                wakeups = List.of();
            }
        }
        wakeups.forEach(Runnable::run);
        return wait == null ? Uni.createFrom().voidItem() : Uni.createFrom().completionStage(wait);
    }

    /** The producer finished: consumers read what is queued, then the end. */
    public void close() {
        end(null);
    }

    /** The producer failed or was stopped: consumers fail once they have read what is queued. */
    public void fail(Throwable cause) {
        end(cause);
    }

    private void end(Throwable cause) {
        List<CompletableFuture<JsonNode>> wake = new ArrayList<>();
        CompletableFuture<Void> emit;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            failure = cause;
            emit = waitingEmit;
            waitingEmit = null;
            waitingChunk = null;
            for (Reader reader : readers) {
                if (reader.waiting != null && reader.queue.isEmpty()) {
                    wake.add(reader.waiting);
                    reader.waiting = null;
                }
            }
        }
        if (emit != null) {
            emit.complete(null);
        }
        wake.forEach(w -> {
            if (cause == null) {
                w.complete(null);
            } else {
                w.completeExceptionally(cause);
            }
        });
    }

    private boolean hasRoom() {
        for (Reader reader : readers) {
            if (reader.queue.size() >= capacity) {
                return false;
            }
        }
        return true;
    }

    /**
     * Under the lock: queues the chunk for every reader, or hands it straight to one waiting for it.
     * Answers those hand-overs, to run once the lock is released (they run the consumer's code).
     */
    private List<Runnable> deliver(JsonNode chunk) {
        List<Runnable> wakeups = new ArrayList<>();
        for (Reader reader : readers) {
            if (reader.waiting != null) {
                CompletableFuture<JsonNode> waiting = reader.waiting;
                reader.waiting = null;
                wakeups.add(() -> waiting.complete(chunk));
            } else {
                reader.queue.add(chunk);
            }
        }
        return wakeups;
    }

    /** Lets a waiting producer go on once every queue has room again. */
    private void released() {
        CompletableFuture<Void> emit = null;
        List<Runnable> wakeups = List.of();
        synchronized (this) {
            if (waitingEmit != null && hasRoom()) {
                wakeups = deliver(waitingChunk);
                emit = waitingEmit;
                waitingEmit = null;
                waitingChunk = null;
            }
        }
        wakeups.forEach(Runnable::run);
        if (emit != null) {
            emit.complete(null);
        }
    }

    /** One consumer's side of the channel. */
    public final class Reader {

        private final ArrayDeque<JsonNode> queue = new ArrayDeque<>();
        private CompletableFuture<JsonNode> waiting;

        /** The next chunk, or null at the end of the stream; fails when the producer failed. */
        public Uni<JsonNode> next() {
            CompletableFuture<JsonNode> wait;
            JsonNode chunk;
            synchronized (StreamChannel.this) {
                chunk = queue.poll();
                if (chunk == null) {
                    if (closed) {
                        return failure == null ? Uni.createFrom().nullItem() : Uni.createFrom().failure(failure);
                    }
                    waiting = new CompletableFuture<>();
                    wait = waiting;
                } else {
                    wait = null;
                }
            }
            if (wait != null) {
                return Uni.createFrom().completionStage(wait);
            }
            released();
            return Uni.createFrom().item(chunk);
        }

        /** The consumer is done with the stream (finished, failed or skipped). */
        public void detach() {
            synchronized (StreamChannel.this) {
                readers.remove(this);
                queue.clear();
            }
            released();
        }
    }
}
