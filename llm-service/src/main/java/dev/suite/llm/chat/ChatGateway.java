package dev.suite.llm.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.crypto.SecretBox;
import dev.suite.commons.crypto.SecretUnreadableException;
import dev.suite.commons.ids.Ids;
import dev.suite.commons.net.OutboundException;
import dev.suite.commons.problem.Unavailability;
import dev.suite.commons.retry.Backoff;
import dev.suite.commons.stream.LineTooLongException;
import dev.suite.llm.LlmSettings;
import dev.suite.llm.chat.providers.ChunkSink;
import dev.suite.llm.chat.providers.Completion;
import dev.suite.llm.chat.providers.ProviderAdapter;
import dev.suite.llm.chat.providers.StreamTranslator;
import dev.suite.llm.chat.providers.UpstreamRequest;
import dev.suite.llm.chat.stream.FrameDecoder;
import dev.suite.llm.config.CachedConfig;
import dev.suite.llm.config.LlmConfigCache;
import dev.suite.llm.config.LlmConfigService;
import dev.suite.llm.config.Provider;
import dev.suite.llm.groups.ModelGroups;
import dev.suite.llm.limits.LimitGate;
import dev.suite.llm.limits.Limits;
import dev.suite.llm.limits.Scope;
import dev.suite.llm.prices.PriceBook;
import dev.suite.llm.usage.UsageRecord;
import dev.suite.llm.usage.UsageRecorder;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Runs one chat call: resolves the config, calls its provider through the adapter, and answers in
 * the shape of the API the client called (Chat Completions, Messages, Responses) — a JSON body, or
 * an SSE stream forwarded frame by frame.
 *
 * <p>Until the first byte reaches the client, a connect error, 429, 5xx or timeout is retried with
 * capped, jittered exponential backoff (honouring {@code Retry-After}), then the config's fallbacks
 * are tried in order. Once a stream has started, a failure ends it with an error event instead.
 *
 * <p>A call runs only once admitted under the limits of its user, of the model group it named and
 * of the config it calls ({@link LimitGate}); a config over its limits is passed over for the next
 * fallback like one that failed. When the call ends, its tokens and cost (from the caller's price
 * table) are recorded and counted against those limits.
 */
@ApplicationScoped
public class ChatGateway {

    private static final Logger LOG = Logger.getLogger(ChatGateway.class);
    // Instance fields, not static ones: a native build initialises classes at build time, and a
    // Vert.x buffer needs Netty's allocator, which Quarkus initialises only at run time.
    private final Buffer keepAlive = Buffer.buffer(": keep-alive\n\n");

    private final Vertx vertx;
    private final UpstreamClient upstream;
    private final ModelResolver resolver;
    private final ModelGroups groups;
    private final LlmConfigCache cache;
    private final SecretBox secrets;
    private final UsageRecorder usage;
    private final LimitGate limits;
    private final PriceBook prices;
    private final LlmSettings.UserLimits userLimits;
    private final LlmSettings.Chat settings;
    private final ChatTimeouts defaultTimeouts;
    private final GenAiSpans spans;

    public ChatGateway(Vertx vertx, UpstreamClient upstream, ModelResolver resolver, ModelGroups groups,
            LlmConfigCache cache, SecretBox secrets, UsageRecorder usage, LimitGate limits, PriceBook prices,
            LlmSettings settings, GenAiSpans spans) {
        this.spans = spans;
        this.vertx = vertx;
        this.upstream = upstream;
        this.resolver = resolver;
        this.groups = groups;
        this.cache = cache;
        this.secrets = secrets;
        this.usage = usage;
        this.limits = limits;
        this.prices = prices;
        this.userLimits = settings.limits();
        this.settings = settings.chat();
        this.defaultTimeouts = new ChatTimeouts(this.settings.connectTimeout(), this.settings.firstByteTimeout(),
                this.settings.idleTimeout(), this.settings.totalTimeout());
    }

    /**
     * Starts the exchange; it answers {@code response} itself, whatever happens.
     *
     * @param request an OpenAI Chat Completions request (other APIs are translated into one first)
     * @param shape     the API the client called, which the answer takes the form of
     * @param operation what is asked of the provider: a chat completion, or embeddings
     */
    public void handle(String ownerId, ObjectNode request, String configIdHeader, HttpServerResponse response,
            long startNanos, ReplyShape shape, Operation operation) {
        new Exchange(ownerId, request, response, startNanos, shape, operation).start(configIdHeader);
    }

    /** The state of one client call across its attempts. Runs on the request's event loop. */
    private final class Exchange {

        private final String ownerId;
        private final ObjectNode request;
        private final HttpServerResponse response;
        private final ReplyShape shape;
        private final Operation operation;
        /** The stream's frames in the client's format, once the stream has started. */
        private ReplyShape.Stream frames;
        private final long startNanos;
        private final boolean stream;
        private final boolean includeUsage;
        private final String completionId = "chatcmpl-" + Ids.newId().replace("-", "");
        private final long created = Instant.now().getEpochSecond();
        private final Deque<String> fallbacks = new ArrayDeque<>();
        /** How long a member of the group called cools down when it fails; null when no group was called. */
        private Duration cooldown;
        /** The group called, with its limits; null when none was. */
        private Scope group;
        /** The limits of the call whatever config answers it: its user's and its group's. */
        private final List<Scope> callScopes = new ArrayList<>();
        private boolean callAdmitted;
        /** The scopes this call holds a place under, released when it finishes. */
        private final List<Scope> held = new ArrayList<>();
        /** Time spent waiting on providers or backing off: not gateway overhead. */
        private long waitedNanos;
        private long firstChunkNanos;
        private HttpClientRequest inFlight;
        private boolean committed;
        private boolean finished;
        private boolean cancelled;
        private long totalTimer = -1;
        private long keepAliveTimer = -1;
        private long lastWriteNanos = System.nanoTime();
        private ChatCall call;
        /** The call's GenAI span, ended in finish(). */
        private final Span span;

        Exchange(String ownerId, ObjectNode request, HttpServerResponse response, long startNanos, ReplyShape shape,
                Operation operation) {
            this.ownerId = ownerId;
            this.request = request;
            this.response = response;
            this.shape = shape;
            this.operation = operation;
            this.startNanos = startNanos;
            this.stream = request.path("stream").asBoolean(false);
            this.includeUsage = stream && request.path("stream_options").path("include_usage").asBoolean(false);
            this.span = spans.start(operation, request.path("model").asText(null), stream);
        }

        void start(String configIdHeader) {
            response.closeHandler(v -> clientGone());
            resolver.resolve(ownerId, request.path("model").asText(null), configIdHeader)
                    .subscribe().with(target -> {
                        fallbacks.addAll(target.fallbacks());
                        cooldown = target.cooldown();
                        group = target.group();
                        Limits mine = userLimits.of(ownerId);
                        if (!mine.isEmpty()) {
                            callScopes.add(Scope.user(ownerId, mine));
                        }
                        if (group != null) {
                            callScopes.add(group);
                        }
                        admitThenAttempt(target.config(), target.upstreamModel(), null);
                    }, this::fail);
        }

        /**
         * Asks the gate for a place under the config's limits (and the call's, the first time), then
         * calls it. Over the config's limits, the next fallback is tried; over the user's or the
         * group's, the call ends with 429. {@code lastError} is why the previous config was left.
         */
        private void admitThenAttempt(CachedConfig config, String model, ChatException lastError) {
            List<Scope> asked = new ArrayList<>(callAdmitted ? List.of() : callScopes);
            asked.add(config.scope());
            Duration leaseFor = defaultTimeouts.overriddenBy(config.timeouts()).total().plusMinutes(1);
            limits.admit(asked, ownerId, completionId, leaseFor).subscribe().with(verdict -> {
                if (!verdict.admitted()) {
                    if (verdict.scope().kind().equals("config") && !fallbacks.isEmpty()) {
                        LOG.debugf("Config %s is over its limits; trying the next fallback", config.configId());
                        fallBack(verdict.error());
                    } else {
                        fail(lastError != null && verdict.scope().kind().equals("config") ? lastError : verdict.error());
                    }
                    return;
                }
                held.addAll(asked);
                callAdmitted = true;
                if (cancelled || finished) {
                    settle(0, 0);
                    return;
                }
                // Thrown inside a Mutiny callback, this would be dropped and the client left waiting.
                try {
                    attempt(callFor(config, model), 0);
                } catch (ChatException e) {
                    fail(e);
                }
            }, e -> {
                LOG.warnf("Limits of a call by %s cannot be checked: %s", ownerId, e.getMessage());
                fail(new ChatException(503, "server_error", "service_unavailable", "The limits of this call cannot "
                        + "be checked right now (Redis did not answer); try again shortly.", Duration.ofSeconds(5), false));
            });
        }

        private ChatCall callFor(CachedConfig config, String upstreamModel) {
            String key = null;
            if (config.apiKeySealed() != null) {
                try {
                    key = secrets.open(config.apiKeySealed(), LlmConfigService.keyContext(config.configId()));
                } catch (SecretUnreadableException e) {
                    LOG.errorf("Api key of config %s cannot be opened: %s", config.configId(), e.getMessage());
                    throw new ChatException(500, "server_error", "key_unreadable", "The api key of config '"
                            + config.name() + "' cannot be decrypted with the configured master keys.", null, false);
                }
            }
            ChatTimeouts timeouts = defaultTimeouts.overriddenBy(config.timeouts());
            ChatCall next = new ChatCall(request, config, upstreamModel, key, stream, includeUsage, completionId,
                    created, timeouts);
            if (totalTimer < 0) {
                totalTimer = vertx.setTimer(timeouts.total().toMillis(), id -> totalTimeout());
            }
            return next;
        }

        private void attempt(ChatCall next, int retry) {
            if (cancelled || finished) {
                return;
            }
            call = next;
            ProviderAdapter adapter;
            UpstreamRequest upstreamRequest;
            try {
                if (call.config().provider() == Provider.ECHO) {
                    echo();
                    return;
                }
                adapter = operation.adapter(call.config().provider(), call.config().name());
                upstreamRequest = adapter.request(call);
            } catch (ChatException e) {
                fail(e);
                return;
            }
            long sent = System.nanoTime();
            boolean[] timedOut = {false};
            long firstByteTimer = vertx.setTimer(call.timeouts().firstByte().toMillis(), id -> {
                timedOut[0] = true;
                resetInFlight();
            });
            upstream.send(upstreamRequest, call.timeouts().connect().toMillis(), req -> inFlight = req)
                    .onComplete(ar -> {
                        vertx.cancelTimer(firstByteTimer);
                        waitedNanos += System.nanoTime() - sent;
                        if (cancelled || finished) {
                            resetInFlight();
                            return;
                        }
                        if (ar.failed()) {
                            retryOrFail(retry, timedOut[0]
                                    ? ChatException.timeout("The provider of config '" + call.config().name()
                                            + "' did not answer within " + call.timeouts().firstByte().toMillis() + " ms.")
                                    : sendFailure(ar.cause()));
                            return;
                        }
                        HttpClientResponse upstreamResponse = ar.result();
                        if (upstreamResponse.statusCode() / 100 != 2) {
                            rejected(adapter, upstreamResponse, retry);
                        } else if (stream) {
                            pipe(adapter, upstreamResponse);
                        } else {
                            complete(adapter, upstreamResponse, retry);
                        }
                    });
        }

        /** Why a request got no answer: a refused destination, or an unreachable one. */
        private ChatException sendFailure(Throwable cause) {
            if (cause instanceof ChatException chat) {
                return chat;
            }
            String name = call.config().name();
            if (cause instanceof OutboundException refused && refused.kind() == OutboundException.Kind.REFUSED) {
                return new ChatException(502, "upstream_error", "destination_not_allowed", "The api_url of config '"
                        + name + "' is not allowed: " + refused.getMessage() + ".", null, false);
            }
            return ChatException.unreachable("Could not reach the provider of config '" + name + "': "
                    + cause.getMessage());
        }

        /** A body that could not be read whole: over the size limit, or cut off. */
        private ChatException readFailure(Throwable cause) {
            String name = call.config().name();
            if (cause instanceof OutboundException tooLarge && tooLarge.kind() == OutboundException.Kind.TOO_LARGE) {
                return new ChatException(502, "upstream_error", "upstream_too_large", "The provider of config '" + name
                        + "' sent too much: " + tooLarge.getMessage() + ".", null, false);
            }
            return ChatException.unreachable("The provider of config '" + name + "' dropped the connection: "
                    + cause.getMessage());
        }

        /** A non-2xx answer: read its message, then retry, fall back or fail. */
        private void rejected(ProviderAdapter adapter, HttpClientResponse upstreamResponse, int retry) {
            int status = upstreamResponse.statusCode();
            Duration retryAfter = retryAfter(upstreamResponse.getHeader("Retry-After"));
            long readStart = System.nanoTime();
            upstream.errorBody(upstreamResponse).onComplete(body -> {
                waitedNanos += System.nanoTime() - readStart;
                String message = body.succeeded() ? adapter.errorMessage(body.result()) : null;
                retryOrFail(retry, mapStatus(status, message, retryAfter));
            });
        }

        private ChatException mapStatus(int status, String message, Duration retryAfter) {
            String name = call.config().name();
            String said = message == null ? "" : ": " + message;
            return switch (status) {
                case 401, 403 -> new ChatException(502, "upstream_error", "upstream_auth_failed",
                        "The provider rejected the credentials of config '" + name + "' (HTTP " + status + ")" + said,
                        null, false);
                case 429 -> new ChatException(429, "rate_limit_error", "rate_limit_exceeded",
                        "The provider of config '" + name + "' is rate limiting" + said, retryAfter, true);
                case 400, 404, 413, 422 -> new ChatException(status == 404 ? 404 : 400, "invalid_request_error",
                        status == 404 ? "model_not_found" : "upstream_rejected_request",
                        "The provider of config '" + name + "' refused the request (HTTP " + status + ")" + said,
                        null, false);
                default -> new ChatException(status == 504 || status == 408 ? 504 : 502, "upstream_error",
                        "upstream_" + status, "The provider of config '" + name + "' failed (HTTP " + status + ")"
                                + said, retryAfter, status >= 500 || status == 408);
            };
        }

        private void retryOrFail(int retry, ChatException error) {
            if (cancelled || finished) {
                return;
            }
            boolean clientError = error.status() == 400 || error.status() == 404;
            if (cooldown != null && error.retryable()) {
                // A group's member that failed is passed over for a while, and the call moves on at once.
                groups.coolDown(call.config().configId(), cooldown);
                if (!fallbacks.isEmpty()) {
                    fallBack(error);
                    return;
                }
            }
            long maxDelay = settings.retryMaxDelay().toMillis();
            if (error.retryable() && retry < settings.maxRetries()
                    && (error.retryAfter() == null || error.retryAfter().toMillis() <= maxDelay)) {
                long delay = error.retryAfter() != null ? error.retryAfter().toMillis()
                        : new Backoff(settings.retryBaseDelay(), settings.retryMaxDelay()).delay(retry + 1).toMillis();
                LOG.debugf("Retrying config %s in %d ms after: %s", call.config().configId(), delay, error.getMessage());
                GenAiSpans.attemptFailed(span, "retry", call.config().configId(), error);
                waitedNanos += Duration.ofMillis(delay).toNanos();
                ChatCall same = call;
                vertx.setTimer(Math.max(1, delay), id -> attempt(same, retry + 1));
                return;
            }
            if (!clientError && !fallbacks.isEmpty()) {
                fallBack(error);
                return;
            }
            fail(error);
        }

        /** Tries the next fallback config of the caller; missing, foreign or disabled ones are skipped. */
        private void fallBack(ChatException lastError) {
            if (call != null) {
                leave(call.config());
            }
            String next = fallbacks.poll();
            if (next == null) {
                fail(lastError);
                return;
            }
            GenAiSpans.attemptFailed(span, "fallback", call == null ? null : call.config().configId(), lastError);
            LOG.infof("Config %s failed (%s); falling back to %s", call == null ? "-" : call.config().configId(),
                    lastError.getMessage(), next);
            cache.find(ownerId, next).subscribe().with(found -> {
                if (found.isEmpty() || !found.get().enabled()) {
                    fallBack(lastError);
                    return;
                }
                CachedConfig config = found.get();
                String model = config.model() != null ? config.model() : config.provider() == Provider.ECHO ? "echo" : null;
                if (model == null) {
                    fallBack(lastError);
                    return;
                }
                admitThenAttempt(config, model, lastError);
            }, e -> fallBack(lastError));
        }

        private void complete(ProviderAdapter adapter, HttpClientResponse upstreamResponse, int retry) {
            long readStart = System.nanoTime();
            upstream.body(upstreamResponse).onComplete(body -> {
                waitedNanos += System.nanoTime() - readStart;
                if (cancelled || finished) {
                    return;
                }
                if (body.failed()) {
                    retryOrFail(retry, readFailure(body.cause()));
                    return;
                }
                Completion completion;
                try {
                    completion = adapter.completion(call, body.result());
                } catch (ChatException e) {
                    fail(e);
                    return;
                }
                respond(completion);
            });
        }

        private void respond(Completion completion) {
            Buffer body;
            try {
                body = shape.body(completion);
            } catch (ChatException e) {
                fail(e);
                return;
            }
            whenSettled(() -> {
                firstChunkNanos = System.nanoTime();
                GenAiSpans.firstToken(span);
                response.setStatusCode(200)
                        .putHeader("Content-Type", "application/json")
                        .putHeader("X-Suite-Overhead-Ms", overheadMillis())
                        .putHeader("X-Suite-Config-Id", call.config().configId())
                        .end(body);
                finish(200, completion.usage());
            });
        }

        /** Runs {@code last} once the shape has settled the answer, unless the call ended meanwhile. */
        private void whenSettled(Runnable last) {
            shape.settled().onFailure().invoke(e -> LOG.warnf("Answer of config %s not settled: %s",
                            call.config().configId(), e.getMessage()))
                    .onFailure().recoverWithNull()
                    .subscribe().with(ok -> {
                        if (!finished) {
                            last.run();
                        }
                    });
        }

        /**
         * Forwards a 2xx upstream stream, translated frame by frame, with backpressure. Frames that
         * arrived in one upstream buffer leave in one write: nothing waits, but a burst costs one
         * syscall rather than one per frame.
         */
        private void pipe(ProviderAdapter adapter, HttpClientResponse upstreamResponse) {
            commitStream();
            StreamTranslator translator = adapter.translator(call);
            FrameDecoder decoder = adapter.ndjsonStream() ? FrameDecoder.ndjson(upstream.maxLine())
                    : FrameDecoder.sse(upstream.maxLine());
            Buffer[] out = {Buffer.buffer()};
            ChunkSink sink = chunk -> frames.chunk(chunk, out[0]);
            long[] idleTimer = {vertx.setTimer(call.timeouts().idle().toMillis(), id -> idleTimeout())};
            upstreamResponse.handler(buffer -> {
                if (finished) {
                    return;
                }
                vertx.cancelTimer(idleTimer[0]);
                idleTimer[0] = vertx.setTimer(call.timeouts().idle().toMillis(), id -> idleTimeout());
                try {
                    decoder.feed(buffer, (event, data) -> translator.onFrame(event, data, sink));
                } catch (ChatException | LineTooLongException failure) {
                    ChatException e = failure instanceof ChatException chat ? chat : new ChatException(502,
                            "upstream_error", "upstream_too_large", "The provider of config '" + call.config().name()
                                    + "' sent too much: " + failure.getMessage() + ".", null, false);
                    vertx.cancelTimer(idleTimer[0]);
                    flush(out, upstreamResponse);
                    // Finish first: resetting fires the upstream's exception handler, which must
                    // find the call finished rather than report a generic dropped stream.
                    streamError(e, translator);
                    resetInFlight();
                    return;
                }
                flush(out, upstreamResponse);
            });
            upstreamResponse.exceptionHandler(e -> {
                vertx.cancelTimer(idleTimer[0]);
                streamError(ChatException.unreachable("The provider of config '" + call.config().name()
                        + "' dropped the stream: " + upstream.brokenOff(e).getMessage()), translator);
            });
            upstreamResponse.endHandler(v -> {
                vertx.cancelTimer(idleTimer[0]);
                if (finished) {
                    return;
                }
                try {
                    decoder.end((event, data) -> translator.onFrame(event, data, sink));
                    translator.onEnd(sink);
                } catch (ChatException e) {
                    flush(out, upstreamResponse);
                    streamError(e, translator);
                    return;
                }
                frames.end(translator.usage(), out[0]);
                whenSettled(() -> {
                    markFirstChunk(out[0]);
                    response.end(out[0]);
                    finish(200, translator.usage());
                });
            });
        }

        private void flush(Buffer[] out, HttpClientResponse upstreamResponse) {
            if (out[0].length() > 0) {
                write(out[0], upstreamResponse);
                out[0] = Buffer.buffer();
            }
        }

        private void markFirstChunk(Buffer frames) {
            if (firstChunkNanos == 0 && frames.length() > 0) {
                firstChunkNanos = System.nanoTime();
                GenAiSpans.firstToken(span);
            }
        }

        private void commitStream() {
            committed = true;
            frames = shape.stream();
            response.setStatusCode(200)
                    .setChunked(true)
                    .putHeader("Content-Type", "text/event-stream")
                    .putHeader("Cache-Control", "no-cache")
                    .putHeader("X-Accel-Buffering", "no")
                    .putHeader("X-Suite-Overhead-Ms", overheadMillis())
                    .putHeader("X-Suite-Config-Id", call.config().configId());
            long interval = settings.keepAliveInterval().toMillis();
            keepAliveTimer = vertx.setPeriodic(interval, interval, id -> {
                if (System.nanoTime() - lastWriteNanos >= Duration.ofMillis(interval).toNanos()) {
                    response.write(keepAlive);
                    lastWriteNanos = System.nanoTime();
                }
            });
        }

        private void write(Buffer frame, HttpClientResponse upstreamResponse) {
            if (finished || response.closed()) {
                return;
            }
            markFirstChunk(frame);
            lastWriteNanos = System.nanoTime();
            response.write(frame);
            if (upstreamResponse != null && response.writeQueueFull()) {
                // A slow client slows the provider: nothing piles up in memory.
                upstreamResponse.pause();
                response.drainHandler(v -> upstreamResponse.resume());
            }
        }

        private void idleTimeout() {
            streamError(ChatException.timeout("The provider of config '" + call.config().name()
                    + "' sent nothing for " + call.timeouts().idle().toMillis() + " ms."), null);
            resetInFlight();
        }

        /** A failure after the stream started: an error event, then the end of the stream. */
        private void streamError(ChatException e, StreamTranslator translator) {
            if (finished) {
                return;
            }
            LOG.warnf("Stream of config %s failed: %s", call.config().configId(), e.getMessage());
            if (!response.closed()) {
                Buffer out = Buffer.buffer();
                frames.error(e, out);
                response.end(out);
            }
            finish(e.status(), translator == null ? Usage.NONE : translator.usage());
        }

        private void echo() {
            if (stream) {
                commitStream();
                // One write per word: the echo stream is meant to be seen arriving piece by piece.
                for (String chunk : EchoResponder.chunks(call)) {
                    Buffer frame = Buffer.buffer();
                    frames.chunk(chunk, frame);
                    write(frame, null);
                }
                Usage used = EchoResponder.usage(request.path("messages"), EchoResponder.reply(request.path("messages")));
                Buffer end = Buffer.buffer();
                frames.end(used, end);
                whenSettled(() -> {
                    response.end(end);
                    finish(200, used);
                });
            } else {
                respond(operation.echo(call));
            }
        }

        private void totalTimeout() {
            if (finished) {
                return;
            }
            ChatException e = ChatException.timeout("The call did not complete within "
                    + (call == null ? defaultTimeouts.total() : call.timeouts().total()).toMillis() + " ms.");
            if (committed) {
                streamError(e, null);
            } else {
                fail(e);
            }
            resetInFlight();
        }

        private void fail(Throwable error) {
            if (finished) {
                return;
            }
            ChatException e;
            if (error instanceof ChatException chat) {
                e = chat;
            } else if (Unavailability.isDependencyUnavailable(error)) {
                LOG.warnf("Chat call failed: a dependency is unavailable (%s)", error.getMessage());
                e = new ChatException(503, "server_error", "service_unavailable",
                        "Configs cannot be read right now (database unavailable); try again shortly.",
                        Duration.ofSeconds(5), true);
            } else {
                LOG.error("Chat call failed unexpectedly", error);
                e = new ChatException(500, "server_error", null, "The gateway failed; quote the request id.", null,
                        false);
            }
            if (committed) {
                streamError(e, null);
                return;
            }
            shape.error(response, e);
            finish(e.status(), Usage.NONE);
        }

        private void clientGone() {
            // An HTTP/2 stream closes as soon as its answer has ended, before finish() has run: that
            // is not the client going away, and the call must still be accounted as answered.
            if (finished || response.ended()) {
                return;
            }
            cancelled = true;
            resetInFlight();
            finish(499, Usage.NONE);
        }

        private void resetInFlight() {
            HttpClientRequest req = inFlight;
            if (req != null) {
                req.reset();
            }
        }

        private void finish(int status, Usage used) {
            if (finished) {
                return;
            }
            finished = true;
            // Timers hold the exchange: cancel them now rather than let them fire into a finished call.
            if (totalTimer >= 0) {
                vertx.cancelTimer(totalTimer);
            }
            if (keepAliveTimer >= 0) {
                vertx.cancelTimer(keepAliveTimer);
            }
            GenAiSpans.end(span, call, group == null ? null : group.id(), status, used);
            if (call == null) {
                settle(0, 0);
                return;
            }
            long now = System.nanoTime();
            int latency = (int) Duration.ofNanos(now - startNanos).toMillis();
            int ttft = firstChunkNanos == 0 ? latency : (int) Duration.ofNanos(firstChunkNanos - startNanos).toMillis();
            ChatCall last = call;
            prices.table(ownerId).map(table -> table.costNanos(last.upstreamModel(), last.config().provider(), used))
                    .onFailure().recoverWithNull()
                    .subscribe().with(cost -> {
                        usage.record(new UsageRecord(Ids.newId(), ownerId, last.config().configId(),
                                group == null ? null : group.id(), last.config().provider().wireName(),
                                last.upstreamModel(), used.promptTokens(), used.completionTokens(), used.cachedTokens(),
                                used.reasoningTokens(), cost, latency, ttft, status, stream, Instant.now()));
                        settle(used.totalTokens(), cost == null ? 0 : cost);
                    });
        }

        /** Gives back the place the call held under a config it leaves for a fallback, counting nothing. */
        private void leave(CachedConfig config) {
            Scope left = held.stream().filter(s -> s.kind().equals("config") && s.id().equals(config.configId()))
                    .findFirst().orElse(null);
            if (left == null) {
                return;
            }
            held.remove(left);
            limits.settle(List.of(left), completionId, null, 0, 0).subscribe().with(ok -> { },
                    e -> LOG.warnf("Place under the limits of config %s not given back (it lapses by itself): %s",
                            config.configId(), e.getMessage()));
        }

        /** Gives back the call's places under its limits, counting what it used against them. */
        private void settle(long tokens, long costNanos) {
            if (held.isEmpty()) {
                return;
            }
            List<Scope> release = List.copyOf(held);
            held.clear();
            String answeredBy = call == null ? null : call.config().configId();
            limits.settle(release, completionId, answeredBy, tokens, costNanos).subscribe().with(ok -> { },
                    e -> LOG.warnf("Limits of a call by %s not settled (its places lapse by themselves): %s", ownerId,
                            e.getMessage()));
        }

        private String overheadMillis() {
            long overhead = Math.max(0, System.nanoTime() - startNanos - waitedNanos);
            return String.format(Locale.ROOT, "%.3f", overhead / 1_000_000.0);
        }
    }

    /** {@code Retry-After} in seconds or as an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration left = Duration.between(Instant.now(), at.toInstant());
                return left.isNegative() ? Duration.ZERO : left;
            } catch (RuntimeException e) {
                return null;
            }
        }
    }
}
