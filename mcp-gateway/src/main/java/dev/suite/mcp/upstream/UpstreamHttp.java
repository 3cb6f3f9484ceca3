package dev.suite.mcp.upstream;

import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.ProblemType;
import dev.suite.mcp.McpPolicy;
import dev.suite.mcp.McpSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's HTTP client towards MCP servers. Every host is checked against the SSRF guard
 * before the first connection (and again after {@link #VERDICT_TTL_MILLIS}, since DNS may change),
 * and redirects are followed only after the same check of their target.
 */
@ApplicationScoped
public class UpstreamHttp {

    private static final long VERDICT_TTL_MILLIS = 30_000;
    private static final int MAX_REDIRECTS = 5;
    private static final int IDLE_CONNECTION_SECONDS = 4;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final Vertx vertx;
    private final HttpClient client;
    private final McpPolicy policy;
    private final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();

    private record Verdict(Optional<String> problem, long checkedAt) {
    }

    public UpstreamHttp(Vertx vertx, McpSettings settings, McpPolicy policy) {
        this.vertx = vertx;
        this.policy = policy;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                // Drop idle connections before servers do (Node.js closes them after 5 s): a request
                // sent on a connection the server is closing fails with "Connection was closed".
                .setKeepAliveTimeout(IDLE_CONNECTION_SECONDS)
                .setMaxPoolSize(256)
                .setConnectTimeout((int) settings.connectTimeout().toMillis()));
    }

    /**
     * Sends a request with a complete body and answers the response, whose body the caller reads
     * (or relays). Fails with a 502 problem when the URL is refused or the server unreachable.
     */
    public Future<HttpClientResponse> send(HttpMethod method, URI uri, MultiMap headers, Buffer body) {
        return send(method, uri, headers, body, 0);
    }

    private Future<HttpClientResponse> send(HttpMethod method, URI uri, MultiMap headers, Buffer body, int hops) {
        return allowed(uri)
                .compose(ok -> exchange(method, uri, headers, body)
                        // A pooled connection the server closed just before (Node.js does after an early
                        // answer it did not read the body of) fails before any answer: once more, on a new one.
                        .recover(failure -> failure instanceof HttpClosedException
                                ? exchange(method, uri, headers, body) : Future.failedFuture(failure)))
                .recover(failure -> Future.failedFuture(failure instanceof ProblemException
                        ? failure : unreachable(uri, failure)))
                .compose(response -> {
                    String location = response.getHeader("Location");
                    if (!REDIRECTS.contains(response.statusCode()) || location == null) {
                        return Future.succeededFuture(response);
                    }
                    response.resume();
                    if (hops >= MAX_REDIRECTS) {
                        return Future.failedFuture(ProblemException.upstream("The MCP server at " + origin(uri)
                                + " redirected more than " + MAX_REDIRECTS + " times.", response.statusCode()));
                    }
                    boolean keepsMethod = response.statusCode() == 307 || response.statusCode() == 308
                            || method == HttpMethod.GET;
                    if (!keepsMethod) {
                        return Future.failedFuture(ProblemException.upstream("The MCP server at " + origin(uri)
                                + " redirected a " + method + " with " + response.statusCode()
                                + "; register the URL it redirects to.", response.statusCode()));
                    }
                    return send(method, uri.resolve(location), headers, body, hops + 1);
                });
    }

    /**
     * {@link #send} with the server's credentials: the {@code Authorization} they give, and after a
     * 401 to it one retry with what they give then (a refreshed token). A 401 that remains is
     * answered as it is; a user who must authorise first fails here with a 401 problem.
     */
    public Future<HttpClientResponse> send(HttpMethod method, URI uri, MultiMap headers, Buffer body,
            Credentials credentials) {
        return authorized(credentials.authorization(), method, uri, headers, body, credentials, false);
    }

    private Future<HttpClientResponse> authorized(Uni<String> authorization, HttpMethod method,
            URI uri, MultiMap headers, Buffer body, Credentials credentials, boolean retried) {
        Promise<HttpClientResponse> promise = Promise.promise();
        authorization.subscribe().with(value -> {
            if (value != null) {
                headers.set("Authorization", value);
            }
            send(method, uri, headers, body).onComplete(result -> {
                if (result.succeeded() && result.result().statusCode() == 401 && value != null && !retried) {
                    result.result().resume();
                    authorized(credentials.refused(value), method, uri, headers, body, credentials, true)
                            .onComplete(promise);
                } else {
                    promise.handle(result);
                }
            });
        }, promise::tryFail);
        return promise.future();
    }

    private Future<HttpClientResponse> exchange(HttpMethod method, URI uri, MultiMap headers, Buffer body) {
        return client.request(new RequestOptions().setMethod(method).setAbsoluteURI(uri.toString())
                        .setHeaders(headers).setFollowRedirects(false))
                .compose(request -> body == null ? request.send() : request.send(body));
    }

    /** Checks the guard for a URL's host, off the event loop because it resolves the name. */
    public Future<Void> allowed(URI uri) {
        String key = uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
        Verdict cached = verdicts.get(key);
        if (cached != null && System.currentTimeMillis() - cached.checkedAt() < VERDICT_TTL_MILLIS) {
            return cached.problem().isEmpty() ? Future.succeededFuture() : Future.failedFuture(refused(uri, cached));
        }
        return vertx.<Optional<String>>executeBlocking(() -> policy.urlGuard().check(uri), false)
                .compose(problem -> {
                    Verdict verdict = new Verdict(problem, System.currentTimeMillis());
                    verdicts.put(key, verdict);
                    return problem.isEmpty() ? Future.succeededFuture() : Future.failedFuture(refused(uri, verdict));
                });
    }

    private static ProblemException refused(URI uri, Verdict verdict) {
        return new ProblemException(ProblemType.FORBIDDEN, "The gateway refuses to reach " + origin(uri) + ": its URL "
                + verdict.problem().orElse("is not allowed") + ".", null, null, null);
    }

    private static ProblemException unreachable(URI uri, Throwable failure) {
        return ProblemException.upstream("The MCP server at " + origin(uri) + " is unreachable: "
                + failure.getMessage(), null);
    }

    public static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    void close(@Observes ShutdownEvent event) {
        client.close();
    }
}
