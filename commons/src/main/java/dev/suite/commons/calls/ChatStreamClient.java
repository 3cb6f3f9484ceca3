package dev.suite.commons.calls;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.stream.ChatChunkDecoder;
import dev.suite.commons.stream.LineTooLongException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.util.ArrayDeque;

/**
 * Streamed chat completions from llm-service ({@code POST /v1/chat/completions} with
 * {@code stream: true}) for a caller, whose Authorization and request id go along. Each piece of
 * the answer is handed to a {@link DeltaSink}; while one is not taken yet the response is paused,
 * so llm-service (and the provider) slow down instead of pieces piling up here. Cancelling the
 * returned {@code Uni} resets the request. Failures are problems, mapped by {@link ServiceFailures}.
 */
public final class ChatStreamClient {

    /** Where the pieces of an answer go. */
    public interface DeltaSink {

        /** Takes one piece; the stream is paused until the returned {@code Uni} completes. */
        Uni<Void> take(String piece);

        /** Checked after each piece: true ends the stream early, the answer being what came so far. */
        default boolean stopped() {
            return false;
        }
    }

    /** The whole answer: its text and the usage llm-service reported (null when stopped early or none came). */
    public record Answer(String text, ObjectNode usage) {

        public Integer usageCount(String field) {
            return usage != null && usage.path(field).isNumber() ? usage.get(field).asInt() : null;
        }
    }

    private final HttpClient client;
    private final ServiceTarget target;
    private final int maxLine;

    public ChatStreamClient(Vertx vertx, ServiceTarget target, int maxLine) {
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, target.connectTimeout().toMillis()))
                .setKeepAlive(true).setMaxPoolSize(target.poolSize()));
        this.target = target;
        this.maxLine = maxLine;
    }

    public void close() {
        client.close();
    }

    /** Streams the completion {@code body} asks for ({@code stream: true} is set here). */
    public Uni<Answer> stream(Caller caller, ObjectNode body, DeltaSink sink) {
        ObjectNode streamed = body.deepCopy().put("stream", true);
        return Uni.createFrom().emitter(emitter -> {
            Exchange exchange = new Exchange(emitter, sink);
            emitter.onTermination(exchange::abandon);
            client.request(options(caller))
                    .onFailure(exchange::failTransport)
                    .onSuccess(request -> {
                        if (exchange.attach(request)) {
                            request.send(Buffer.buffer(streamed.toString()))
                                    .onFailure(exchange::failTransport)
                                    .onSuccess(exchange::answered);
                        }
                    });
        });
    }

    private RequestOptions options(Caller caller) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI(target.url().resolve("/v1/chat/completions").toString())
                .putHeader("Content-Type", "application/json").putHeader("Accept", "text/event-stream")
                .setIdleTimeout(target.idleTimeout().toMillis());
        if (caller.authorization() != null) {
            options.putHeader("Authorization", caller.authorization());
        }
        if (caller.requestId() != null) {
            options.putHeader("X-Request-Id", caller.requestId());
        }
        return options;
    }

    /**
     * One streamed answer: events decoded as bytes arrive, pieces handed on one at a time. Guarded
     * by its own lock: the response's handlers run on the connection's event loop, a sink may
     * take a piece on another thread.
     */
    private final class Exchange {

        private final UniEmitter<? super Answer> emitter;
        private final DeltaSink sink;
        private final ChatChunkDecoder decoder;
        private final ArrayDeque<String> pieces = new ArrayDeque<>();
        private final StringBuilder text = new StringBuilder();
        private HttpClientRequest request;
        private HttpClientResponse response;
        private boolean handing;
        private boolean paused;
        private boolean ended;
        private boolean finished;

        Exchange(UniEmitter<? super Answer> emitter, DeltaSink sink) {
            this.emitter = emitter;
            this.sink = sink;
            this.decoder = new ChatChunkDecoder(maxLine, pieces::add);
        }

        /** Keeps the request to reset it; false when the caller already gave up. */
        synchronized boolean attach(HttpClientRequest request) {
            this.request = request;
            if (finished) {
                request.reset();
                return false;
            }
            return true;
        }

        void answered(HttpClientResponse response) {
            if (response.statusCode() != 200) {
                response.body().onComplete(read -> fail(ServiceFailures.answer(target.name(), response.statusCode(),
                        read.succeeded() ? read.result().toString() : "")));
                return;
            }
            synchronized (this) {
                this.response = response;
            }
            response.handler(this::feed);
            response.exceptionHandler(this::failTransport);
            response.endHandler(v -> {
                synchronized (this) {
                    decoder.end();
                    ended = true;
                }
                if (!failedMidStream()) {
                    pump();
                }
            });
        }

        private void feed(Buffer buffer) {
            try {
                synchronized (this) {
                    decoder.feed(buffer);
                }
            } catch (LineTooLongException e) {
                fail(ProblemException.upstream(target.name() + " sent an event over " + maxLine + " bytes.", 200));
                return;
            }
            if (!failedMidStream()) {
                pump();
            }
        }

        private boolean failedMidStream() {
            String error;
            synchronized (this) {
                error = decoder.error();
            }
            if (error != null) {
                fail(ProblemException.upstream(target.name() + " failed mid-stream: " + error, 200));
            }
            return error != null;
        }

        /** Hands queued pieces on while they are taken at once; pauses the response when one is not. */
        private void pump() {
            while (true) {
                String piece;
                Answer done = null;
                synchronized (this) {
                    if (handing || finished) {
                        return;
                    }
                    piece = pieces.poll();
                    if (piece == null && ended) {
                        done = finish(decoder.usage());
                    } else if (piece != null) {
                        text.append(piece);
                        handing = true;
                    }
                }
                if (piece == null) {
                    complete(done);
                    return;
                }
                boolean[] taken = {false};
                sink.take(piece).subscribe().with(ok -> taken(taken), this::fail);
                synchronized (this) {
                    if (!taken[0]) {
                        paused = true;
                        response.pause();
                        return;
                    }
                }
                if (stoppedEarly()) {
                    return;
                }
            }
        }

        private void taken(boolean[] taken) {
            boolean resume;
            synchronized (this) {
                handing = false;
                taken[0] = true;
                resume = paused;
                paused = false;
            }
            if (resume && !stoppedEarly()) {
                response.resume();
                pump();
            }
        }

        /** Ends the exchange with what came so far when the sink says stop. */
        private boolean stoppedEarly() {
            if (!sink.stopped()) {
                return false;
            }
            Answer done;
            synchronized (this) {
                done = finish(null);
            }
            complete(done);
            return true;
        }

        /** Marks the exchange finished (under the lock): the answer to complete with, or null if it already was. */
        private Answer finish(ObjectNode usage) {
            if (finished) {
                return null;
            }
            finished = true;
            if (!ended) {
                // cut short: the connection must not be reused mid-stream
                request.reset();
            }
            return new Answer(text.toString(), usage);
        }

        private void complete(Answer answer) {
            if (answer != null) {
                emitter.complete(answer);
            }
        }

        void failTransport(Throwable e) {
            fail(ServiceFailures.transport(target.name(), e));
        }

        private void fail(Throwable e) {
            synchronized (this) {
                if (finished) {
                    return;
                }
                finished = true;
                if (request != null && !ended) {
                    request.reset();
                }
            }
            emitter.fail(e instanceof ProblemException ? e : ServiceFailures.transport(target.name(), e));
        }

        /** The caller cancelled (or the call ended): a request still streaming is reset. */
        void abandon() {
            synchronized (this) {
                if (finished) {
                    return;
                }
                finished = true;
                if (request != null) {
                    request.reset();
                }
            }
        }
    }
}
