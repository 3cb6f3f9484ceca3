package dev.suite.mcp.proxy;

import dev.suite.mcp.protocol.JsonRpc;
import dev.suite.mcp.upstream.CallLimits;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

import java.time.Duration;

/**
 * Relays an upstream event stream to the client buffer by buffer, as it arrives: backpressure
 * both ways (a slow client pauses the upstream), a {@code :} comment when the stream has been
 * silent so proxies keep it open, and for a request's stream the idle and absolute limits —
 * past them the client gets a JSON-RPC timeout error for its request and the stream ends.
 */
final class SseRelay {

    private final HttpClientResponse upstream;
    private final HttpServerResponse downstream;
    private final Vertx vertx;
    private final Duration keepAlive;
    private final CallLimits limits;
    private final Object requestId;
    private long keepAliveTimer = -1;
    private long idleTimer = -1;
    private long totalTimer = -1;
    private long lastWrite = System.nanoTime();
    /** Whether the bytes relayed so far end between two events: only there may a comment be inserted. */
    private boolean atBoundary = true;
    private boolean finished;

    /**
     * @param limits    null for a notification stream (GET, listen), which may stay silent indefinitely
     * @param requestId the id of the request the stream answers, for the timeout error; null for none
     */
    SseRelay(HttpClientResponse upstream, HttpServerResponse downstream, Vertx vertx, Duration keepAlive,
            CallLimits limits, Object requestId) {
        this.upstream = upstream;
        this.downstream = downstream;
        this.vertx = vertx;
        this.keepAlive = keepAlive;
        this.limits = limits;
        this.requestId = requestId;
    }

    static void prepare(HttpServerResponse response) {
        response.putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no")
                .setChunked(true);
    }

    void start() {
        prepare(downstream);
        keepAliveTimer = vertx.setPeriodic(keepAlive.toMillis(), id -> {
            if (atBoundary && System.nanoTime() - lastWrite >= keepAlive.toNanos()) {
                write(Buffer.buffer(":\n\n"));
            }
        });
        if (limits != null) {
            totalTimer = vertx.setTimer(limits.total().toMillis(), id -> timeOut("ran past its limit of "
                    + limits.total().toSeconds() + " s"));
            idleTimer = vertx.setTimer(limits.idle().toMillis(), this::idle);
        }
        upstream.handler(chunk -> {
            write(chunk);
            atBoundary = endsWithBlankLine(chunk);
            if (limits != null && !finished) {
                vertx.cancelTimer(idleTimer);
                idleTimer = vertx.setTimer(limits.idle().toMillis(), this::idle);
            }
            if (downstream.writeQueueFull()) {
                upstream.pause();
                downstream.drainHandler(v -> upstream.resume());
            }
        });
        upstream.endHandler(v -> finish(true));
        upstream.exceptionHandler(e -> finish(true));
        downstream.closeHandler(v -> {
            // The client went away: stop reading so the upstream connection is freed.
            finish(false);
            upstream.request().reset();
        });
    }

    private void idle(long timerId) {
        timeOut("got no answer or progress within " + limits.idle().toSeconds() + " s");
    }

    private void timeOut(String why) {
        if (finished) {
            return;
        }
        if (requestId != null) {
            if (!atBoundary) {
                write(Buffer.buffer("\n\n"));
            }
            write(Buffer.buffer("event: message\ndata: " + JsonRpc.error(requestId, JsonRpc.TIMEOUT,
                    "The MCP server " + why, null).encode() + "\n\n"));
        }
        finish(true);
        upstream.request().reset();
    }

    private void write(Buffer data) {
        if (!finished) {
            downstream.write(data);
            lastWrite = System.nanoTime();
        }
    }

    private void finish(boolean endDownstream) {
        if (finished) {
            return;
        }
        finished = true;
        vertx.cancelTimer(keepAliveTimer);
        vertx.cancelTimer(idleTimer);
        vertx.cancelTimer(totalTimer);
        if (endDownstream && !downstream.ended() && !downstream.closed()) {
            downstream.end();
        }
    }

    private static boolean endsWithBlankLine(Buffer chunk) {
        int n = chunk.length();
        return n >= 2 && chunk.getByte(n - 1) == '\n'
                && (chunk.getByte(n - 2) == '\n' || n >= 4 && chunk.getByte(n - 2) == '\r' && chunk.getByte(n - 3) == '\n');
    }
}
