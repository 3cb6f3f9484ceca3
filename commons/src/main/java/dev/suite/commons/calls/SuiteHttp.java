package dev.suite.commons.calls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.time.Duration;

/**
 * HTTP to another service of the suite: a pooled client for its base URL, and JSON POSTs that
 * carry the caller's {@code Authorization} and {@code X-Request-Id}.
 */
public final class SuiteHttp {

    private final HttpClient client;
    private final URI base;

    public SuiteHttp(Vertx vertx, URI base) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000).setKeepAlive(true)
                .setMaxPoolSize(32));
        this.base = base;
    }

    /** A JSON POST to {@code path} for the caller; the connection may idle at most {@code idle}. */
    public Future<HttpClientRequest> post(String path, Caller caller, String accept, Duration idle) {
        return request(HttpMethod.POST, path, caller, accept, idle);
    }

    /** A request to {@code path} for the caller, with a JSON body if any is sent. */
    public Future<HttpClientRequest> request(HttpMethod method, String path, Caller caller, String accept, Duration idle) {
        RequestOptions options = new RequestOptions().setMethod(method)
                .setAbsoluteURI(base.resolve(path).toString())
                .putHeader("Content-Type", "application/json").putHeader("Accept", accept)
                .setIdleTimeout(idle.toMillis());
        if (caller.authorization() != null) {
            options.putHeader("Authorization", caller.authorization());
        }
        if (caller.requestId() != null) {
            options.putHeader("X-Request-Id", caller.requestId());
        }
        return client.request(options);
    }

    public void close() {
        client.close();
    }
}
