package dev.suite.commons.net;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import org.jboss.logging.Logger;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * HTTP to a URL a user supplied (an LLM provider, an MCP server, an OAuth endpoint, a workflow's
 * {@code http_request}): the only way the suite fetches such a URL. Each request
 * <ol>
 * <li>checks the URL ({@link UrlGuard#syntaxProblem}),</li>
 * <li>resolves the host once and checks every address ({@link PinnedAddresses}),</li>
 * <li>connects to one of exactly those addresses — the URL's host still names the server in
 * {@code Host}, SNI and certificate checks — trying the next one if a connection is refused,</li>
 * <li>follows redirects only when asked, each hop checked again, and drops credentials when a
 * hop leaves the origin.</li>
 * </ol>
 * Bodies read whole are capped ({@link #readBody}); stream readers cap their lines with
 * {@link #maxLine()}. Made by {@link OutboundClients}, one per use, each with its own pool.
 */
public final class OutboundHttp {

    private static final Logger LOG = Logger.getLogger(OutboundHttp.class);
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final HttpClient client;
    private final UrlGuard guard;
    private final PinnedAddresses pins;
    private final boolean revealNetworkErrors;
    private final long maxBody;
    private final int maxLine;

    OutboundHttp(HttpClient client, UrlGuard guard, PinnedAddresses pins, boolean revealNetworkErrors, long maxBody,
            int maxLine) {
        this.client = client;
        this.guard = guard;
        this.pins = pins;
        this.revealNetworkErrors = revealNetworkErrors;
        this.maxBody = maxBody;
        this.maxLine = maxLine;
    }

    /** How one exchange is made; {@link #DEFAULT}: no redirects, the client's connect timeout. */
    public record SendOptions(long connectTimeoutMillis, int maxRedirects, Set<String> keptAcrossOrigins,
            boolean retryClosedConnection, java.util.function.Consumer<HttpClientRequest> onRequest) {

        public static final SendOptions DEFAULT = new SendOptions(0, 0, Set.of(), false, request -> {
        });

        public SendOptions connectTimeout(long millis) {
            return new SendOptions(millis, maxRedirects, keptAcrossOrigins, retryClosedConnection, onRequest);
        }

        /**
         * Follow up to {@code hops} redirects. A hop to another origin carries only the headers in
         * {@code keptAcrossOrigins} (protocol headers): credentials and configured secrets stay with
         * the origin they were meant for.
         */
        public SendOptions redirects(int hops, Set<String> keptAcrossOrigins) {
            return new SendOptions(connectTimeoutMillis, hops, keptAcrossOrigins, retryClosedConnection, onRequest);
        }

        /**
         * Send once more when a pooled connection turns out closed before any answer (servers
         * close idle keep-alive connections at their own pace). Only for requests that may repeat.
         */
        public SendOptions retryingClosedConnections() {
            return new SendOptions(connectTimeoutMillis, maxRedirects, keptAcrossOrigins, true, onRequest);
        }

        /** Receives each request as soon as it exists, so that the caller can reset (cancel) it. */
        public SendOptions onRequest(java.util.function.Consumer<HttpClientRequest> handler) {
            return new SendOptions(connectTimeoutMillis, maxRedirects, keptAcrossOrigins, retryClosedConnection, handler);
        }
    }

    /** The largest stream line or event this suite reads from an upstream. */
    public int maxLine() {
        return maxLine;
    }

    public long maxBody() {
        return maxBody;
    }

    public Future<HttpClientResponse> send(HttpMethod method, URI uri, MultiMap headers, Buffer body) {
        return send(method, uri, headers, body, SendOptions.DEFAULT);
    }

    /**
     * Sends a request with a complete body; the answer's status and headers have arrived when the
     * future completes, and the caller reads (or relays) its body. Fails with an
     * {@link OutboundException} when the destination is refused or unreachable.
     */
    public Future<HttpClientResponse> send(HttpMethod method, URI uri, MultiMap headers, Buffer body, SendOptions options) {
        return hop(method, uri, headers, body, options, 0);
    }

    private Future<HttpClientResponse> hop(HttpMethod method, URI uri, MultiMap headers, Buffer body,
            SendOptions options, int hops) {
        Optional<String> problem = guard.syntaxProblem(uri.toString());
        if (problem.isPresent()) {
            return Future.failedFuture(refused(uri, "its URL " + problem.get()));
        }
        String host = UrlGuard.hostOf(uri);
        return pins.of(host)
                .recover(failure -> Future.failedFuture(failure instanceof OutboundException e
                        ? refused(uri, e.getMessage()) : unreachable(uri, failure)))
                .compose(addresses -> exchange(method, uri, headers, body, options, addresses)
                        .recover(failure -> options.retryClosedConnection() && failure instanceof HttpClosedException
                                ? exchange(method, uri, headers, body, options, addresses)
                                : Future.failedFuture(failure))
                        .recover(failure -> Future.failedFuture(failure instanceof OutboundException
                                ? failure : unreachable(uri, failure))))
                .compose(response -> {
                    String location = response.getHeader("Location");
                    if (options.maxRedirects() == 0 || !REDIRECTS.contains(response.statusCode()) || location == null) {
                        return Future.succeededFuture(response);
                    }
                    // Not drained: a redirect's body is of no use, and it could be endless.
                    response.request().reset();
                    return redirect(method, uri, headers, body, options, hops, response.statusCode(), location);
                });
    }

    private Future<HttpClientResponse> redirect(HttpMethod method, URI uri, MultiMap headers, Buffer body,
            SendOptions options, int hops, int status, String location) {
        if (hops >= options.maxRedirects()) {
            return Future.failedFuture(new OutboundException(OutboundException.Kind.REDIRECTED,
                    origin(uri) + " redirected more than " + options.maxRedirects() + " times"));
        }
        boolean keepsMethod = status == 307 || status == 308 || method == HttpMethod.GET || method == HttpMethod.HEAD;
        if (!keepsMethod) {
            return Future.failedFuture(new OutboundException(OutboundException.Kind.REDIRECTED,
                    origin(uri) + " redirected a " + method + " with " + status + "; use the URL it redirects to"));
        }
        URI next;
        try {
            next = uri.resolve(location.strip());
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(new OutboundException(OutboundException.Kind.REDIRECTED,
                    origin(uri) + " redirected to an invalid URL"));
        }
        MultiMap nextHeaders = headers;
        if (!origin(next).equalsIgnoreCase(origin(uri))) {
            nextHeaders = MultiMap.caseInsensitiveMultiMap();
            for (String name : options.keptAcrossOrigins()) {
                nextHeaders.add(name, headers.getAll(name));
            }
        }
        return hop(method, next, nextHeaders, body, options, hops + 1);
    }

    /** One exchange at the checked addresses; the retry above repeats it on a fresh connection. */
    private Future<HttpClientResponse> exchange(HttpMethod method, URI uri, MultiMap headers, Buffer body,
            SendOptions options, List<InetAddress> addresses) {
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        RequestOptions request = new RequestOptions()
                .setMethod(method)
                .setHost(uri.getHost())
                .setPort(port)
                .setSsl(https)
                .setURI(path)
                .setHeaders(headers)
                .setFollowRedirects(false);
        if (options.connectTimeoutMillis() > 0) {
            request.setConnectTimeout(options.connectTimeoutMillis());
        }
        return open(request, port, addresses, 0).compose(opened -> {
            options.onRequest().accept(opened);
            return body == null ? opened.send() : opened.send(body);
        }).map(response -> {
            // Until a reader sets its own: a response abandoned and reset (a redirect, a stream that
            // answered what was wanted) is not an error worth a log line. A response that already
            // ended (Vert.x then refuses handlers) can have no such error any more.
            try {
                response.exceptionHandler(ignored -> { });
            } catch (IllegalStateException ended) {
                // nothing left to handle
            }
            return response;
        });
    }

    /**
     * A connection to the checked addresses in turn — the next only when one refuses or times out.
     * The server address is set, so Vert.x connects there without a lookup of its own, while the
     * URL's host names the server in {@code Host}, SNI and the certificate check.
     */
    private Future<HttpClientRequest> open(RequestOptions request, int port, List<InetAddress> addresses, int index) {
        RequestOptions attempt = new RequestOptions(request)
                .setServer(SocketAddress.inetSocketAddress(port, addresses.get(index).getHostAddress()));
        return client.request(attempt).recover(failure -> index + 1 < addresses.size() && isConnectFailure(failure)
                ? open(request, port, addresses, index + 1) : Future.failedFuture(failure));
    }

    private static boolean isConnectFailure(Throwable failure) {
        return failure instanceof ConnectException || failure instanceof io.netty.channel.ConnectTimeoutException;
    }

    /**
     * Reads a whole body up to {@link #maxBody()}; past it the exchange is reset, which frees the
     * connection and whatever was read, and the future fails with {@link OutboundException.Kind#TOO_LARGE}.
     */
    public Future<Buffer> readBody(HttpClientResponse response) {
        return readBody(response, maxBody);
    }

    /** {@link #readBody(HttpClientResponse)} with a smaller limit of the caller's. */
    public Future<Buffer> readBody(HttpClientResponse response, long limit) {
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer();
        response.exceptionHandler(e -> promise.tryFail(brokenOff(e)));
        response.handler(chunk -> {
            if (promise.future().isComplete()) {
                return;
            }
            if (body.length() + (long) chunk.length() > limit) {
                promise.tryFail(new OutboundException(OutboundException.Kind.TOO_LARGE,
                        "the answer is larger than " + limit + " bytes"));
                response.request().reset();
                return;
            }
            body.appendBuffer(chunk);
        });
        response.endHandler(v -> promise.tryComplete(body));
        return promise.future();
    }

    private static OutboundException refused(URI uri, String why) {
        return new OutboundException(OutboundException.Kind.REFUSED,
                "the destination " + origin(uri) + " is not allowed: " + why);
    }

    /**
     * A connection-level failure. The user learns only that the destination could not be reached,
     * unless this is a single-user ({@code local}) suite, where the user owns the network anyway.
     */
    private OutboundException unreachable(URI uri, Throwable failure) {
        String where = origin(uri);
        String reason = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        LOG.infof("Outbound call to %s failed: %s", where, reason);
        return new OutboundException(OutboundException.Kind.UNREACHABLE, revealNetworkErrors
                ? where + " could not be reached: " + reason
                : where + " could not be reached");
    }

    /** A body or stream that ended early, without saying why outside {@code local} mode. */
    public OutboundException brokenOff(Throwable failure) {
        LOG.debugf("Outbound answer broke off: %s", failure.getMessage());
        return new OutboundException(OutboundException.Kind.UNREACHABLE, revealNetworkErrors
                ? "the answer broke off: " + failure.getMessage() : "the answer broke off");
    }

    /** {@code scheme://host[:port]} of a URL, as the user wrote it. */
    public static String origin(URI uri) {
        return (uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT)) + "://" + uri.getRawAuthority();
    }

    void close() {
        client.close();
    }
}
