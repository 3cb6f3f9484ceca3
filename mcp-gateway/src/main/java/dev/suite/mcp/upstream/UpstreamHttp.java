package dev.suite.mcp.upstream;

import dev.suite.commons.net.OutboundClients;
import dev.suite.commons.net.OutboundException;
import dev.suite.commons.net.OutboundHttp;
import dev.suite.commons.problem.ProblemException;
import dev.suite.mcp.McpSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.Set;

/**
 * The gateway's HTTP towards MCP servers and authorization servers: commons' guarded client
 * (every address checked, connections pinned to checked addresses, each redirect hop checked),
 * with the servers' credentials and failures as 502 problems.
 */
@ApplicationScoped
public class UpstreamHttp {

    private static final int MAX_REDIRECTS = 5;
    private static final int IDLE_CONNECTION_SECONDS = 4;
    /** What a redirect to another origin carries: the protocol, never the server's credentials or headers. */
    private static final Set<String> PROTOCOL_HEADERS = Set.of("Accept", "Content-Type", "MCP-Protocol-Version",
            "Mcp-Method", "Mcp-Name", "X-Request-Id", "traceparent", "tracestate");

    private final OutboundHttp http;
    private final OutboundHttp.SendOptions options = OutboundHttp.SendOptions.DEFAULT
            .redirects(MAX_REDIRECTS, PROTOCOL_HEADERS)
            // A pooled connection the server closed just before (Node.js does after an early answer
            // it did not read the body of) fails before any answer: once more, on a new one.
            .retryingClosedConnections();

    public UpstreamHttp(OutboundClients clients, McpSettings settings) {
        this.http = clients.create(new HttpClientOptions()
                .setKeepAlive(true)
                // Drop idle connections before servers do (Node.js closes them after 5 s): a request
                // sent on a connection the server is closing fails with "Connection was closed".
                .setKeepAliveTimeout(IDLE_CONNECTION_SECONDS)
                .setMaxPoolSize(256)
                .setConnectTimeout((int) settings.connectTimeout().toMillis()));
    }

    /**
     * Sends a request with a complete body and answers the response, whose body the caller reads
     * (or relays). Fails with a 502 problem when the destination is refused or unreachable.
     */
    public Future<HttpClientResponse> send(HttpMethod method, URI uri, MultiMap headers, Buffer body) {
        return http.send(method, uri, headers, body, options)
                .recover(failure -> Future.failedFuture(problem(uri, failure)));
    }

    /**
     * {@link #send} with the server's credentials: the {@code Authorization} they give, and after a
     * 401 one retry with what they give then (a refreshed token, or the user's token for a server
     * that just turned out to be protected). A 401 that remains is answered as it is; a user who
     * must authorise first fails here with a 401 problem.
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
                if (result.succeeded() && result.result().statusCode() == 401 && !retried) {
                    HttpClientResponse refusal = result.result();
                    refusal.resume();
                    Uni<String> again = value != null ? credentials.refused(value)
                            : credentials.challenged(refusal.getHeader("WWW-Authenticate"));
                    authorized(again, method, uri, headers, body, credentials, true).onComplete(promise);
                } else {
                    promise.handle(result);
                }
            });
        }, promise::tryFail);
        return promise.future();
    }

    /** A whole answer body, up to {@code SUITE_UPSTREAM_MAX_BODY}; past it a 502 problem. */
    public Future<Buffer> readBody(HttpClientResponse response, String what) {
        return readBody(response, what, http.maxBody());
    }

    /** {@link #readBody(HttpClientResponse, String)} with a smaller limit. */
    public Future<Buffer> readBody(HttpClientResponse response, String what, long limit) {
        return http.readBody(response, limit).recover(failure -> Future.failedFuture(ProblemException.upstream(
                what + ": " + failure.getMessage(), response.statusCode())));
    }

    /** The longest line or event of an upstream's event stream. */
    public int maxLine() {
        return http.maxLine();
    }

    /** A stream that broke off, described as much as the auth mode allows. */
    public ProblemException brokenOff(String what, Throwable failure) {
        return ProblemException.upstream(what + ": " + http.brokenOff(failure).getMessage(), null);
    }

    private static ProblemException problem(URI uri, Throwable failure) {
        if (failure instanceof ProblemException problem) {
            return problem;
        }
        String detail = failure instanceof OutboundException ? failure.getMessage() : origin(uri) + " could not be reached";
        return ProblemException.upstream(Character.toUpperCase(detail.charAt(0)) + detail.substring(1) + ".", null);
    }

    public static String origin(URI uri) {
        return OutboundHttp.origin(uri);
    }
}
