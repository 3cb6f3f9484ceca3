package dev.suite.mcp.upstream;

import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.stream.LineTooLongException;
import dev.suite.commons.stream.SseDecoder;
import dev.suite.commons.stream.SseEvent;
import dev.suite.mcp.protocol.Era;
import dev.suite.mcp.protocol.JsonRpc;
import dev.suite.mcp.protocol.McpVersions;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A 2024-11-05 HTTP+SSE server: the gateway holds its GET event stream open, posts messages to the
 * endpoint the stream names (which must stay on the same origin), and reads every answer from the
 * stream. A dropped stream fails the calls in flight; the next call opens a new one.
 */
public final class SseUpstream implements Upstream {

    private static final Logger LOG = Logger.getLogger(SseUpstream.class);

    private final Target target;
    private final UpstreamHttp http;
    private final Duration handshakeTimeout;
    private final RpcChannel channel;
    private volatile Uni<Handshake> handshake;
    private volatile URI endpoint;
    private volatile HttpClientResponse stream;
    private volatile boolean closed;

    public SseUpstream(Target target, UpstreamHttp http, Vertx vertx, Duration handshakeTimeout,
            Consumer<JsonObject> notices) {
        this.target = target;
        this.http = http;
        this.handshakeTimeout = handshakeTimeout;
        this.channel = new RpcChannel(vertx, target.toString(), notices);
    }

    @Override
    public synchronized Uni<Handshake> connect() {
        Uni<Handshake> current = handshake;
        if (current == null) {
            current = open().chain(() -> channel.initialize(McpVersions.HTTP_SSE, Era.HTTP_SSE,
                            CallLimits.quick(handshakeTimeout), this::post))
                    .onFailure().invoke(e -> reset())
                    .memoize().indefinitely();
            handshake = current;
        }
        return current;
    }

    @Override
    public Uni<JsonObject> call(String method, JsonObject params, Consumer<JsonObject> onNotification,
            CallLimits limits) {
        return connect().chain(h -> channel.call(method, params, onNotification, limits, this::post));
    }

    @Override
    public void close() {
        closed = true;
        reset();
    }

    private synchronized void reset() {
        handshake = null;
        endpoint = null;
        HttpClientResponse open = stream;
        stream = null;
        if (open != null) {
            open.request().reset();
        }
    }

    /** Opens the event stream and waits for its {@code endpoint} event. */
    private Uni<Void> open() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        target.headers().forEach(headers::set);
        headers.set("Accept", "text/event-stream");
        Promise<Void> ready = Promise.promise();
        http.send(HttpMethod.GET, target.uri(), headers, null, target.credentials()).onFailure(ready::tryFail).onSuccess(response -> {
            String type = response.getHeader("Content-Type");
            if (response.statusCode() != 200 || type == null || !type.startsWith("text/event-stream")) {
                response.resume();
                ready.tryFail(ProblemException.upstream(target + " did not open an event stream", response.statusCode()));
                return;
            }
            stream = response;
            SseDecoder decoder = new SseDecoder(http.maxLine());
            Consumer<SseEvent> onEvent = event -> onEvent(event, ready);
            response.handler(chunk -> {
                try {
                    decoder.feed(chunk, onEvent);
                } catch (LineTooLongException e) {
                    LOG.debugf("%s: %s", target, e.getMessage());
                    response.request().reset();
                }
            });
            response.exceptionHandler(e -> dropped(response, ready));
            response.endHandler(v -> dropped(response, ready));
        });
        return Uni.createFrom().completionStage(ready.future().toCompletionStage())
                .ifNoItem().after(handshakeTimeout)
                .failWith(() -> ProblemException.upstreamTimeout(target + " named no endpoint within "
                        + handshakeTimeout.toSeconds() + " s"));
    }

    private void onEvent(SseEvent event, Promise<Void> ready) {
        if ("endpoint".equals(event.event())) {
            URI named;
            try {
                named = target.uri().resolve(event.isEmpty() ? "" : event.data().strip());
            } catch (IllegalArgumentException e) {
                ready.tryFail(ProblemException.upstream(target + " named an endpoint that is not a URL", null));
                reset();
                return;
            }
            if (!UpstreamHttp.origin(named).equals(UpstreamHttp.origin(target.uri()))) {
                ready.tryFail(ProblemException.upstream(target + " named an endpoint on another origin; refused", null));
                reset();
                return;
            }
            endpoint = named;
            ready.tryComplete();
            return;
        }
        if (event.isEmpty()) {
            return;
        }
        try {
            channel.receive(new JsonObject(event.data()), this::post);
        } catch (DecodeException e) {
            LOG.debugf("%s sent an event that is not JSON; ignored", target);
        }
    }

    private void dropped(HttpClientResponse response, Promise<Void> ready) {
        ready.tryFail(ProblemException.upstream(target + " closed its event stream", null));
        synchronized (this) {
            if (stream != response) {
                return;
            }
        }
        reset();
        if (!closed) {
            channel.failAll(ProblemException.upstream(target + " closed its event stream", null));
        }
    }

    private void post(JsonObject message) {
        URI to = endpoint;
        if (to == null) {
            throw ProblemException.upstream(target + " has no open event stream", null);
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        target.headers().forEach(headers::set);
        headers.set("Content-Type", "application/json");
        http.send(HttpMethod.POST, to, headers, message.toBuffer(), target.credentials()).onComplete(result -> {
            if (result.failed()) {
                channel.failAll(result.cause());
                return;
            }
            HttpClientResponse response = result.result();
            response.resume();
            if (response.statusCode() >= 300) {
                LOG.debugf("%s refused a message with HTTP %d", target, response.statusCode());
                Object id = message.getValue("id");
                if (id != null) {
                    channel.receive(JsonRpc.error(id, JsonRpc.UPSTREAM_ERROR,
                            "The server refused the message with HTTP " + response.statusCode(), null), m -> {
                    });
                }
            }
        });
    }
}
