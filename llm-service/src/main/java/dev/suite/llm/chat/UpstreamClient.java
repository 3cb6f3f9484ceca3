package dev.suite.llm.chat;

import dev.suite.commons.net.OutboundClients;
import dev.suite.commons.net.OutboundHttp;
import dev.suite.llm.LlmSettings;
import dev.suite.llm.chat.providers.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.function.Consumer;

/**
 * The one HTTP client every provider call goes through: commons' guarded client, since a config's
 * {@code api_url} is user-supplied (every address it resolves to is checked, and the connection
 * goes to the checked one). Kept-alive pools per host, no decompression or buffering of its own,
 * so stream frames reach the gateway as they arrive; no redirects followed.
 */
@ApplicationScoped
public class UpstreamClient {

    /** An error answer is read for its message only. */
    private static final int MAX_ERROR_BODY = 1024 * 1024;

    private final OutboundHttp http;

    public UpstreamClient(OutboundClients clients, LlmSettings settings) {
        this.http = clients.create(new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setMaxPoolSize(settings.chat().maxConnectionsPerHost())
                .setConnectTimeout((int) settings.chat().connectTimeout().toMillis())
                .setTryUseCompression(false));
    }

    /**
     * Sends the request; the future completes when the provider's status and headers arrived.
     * {@code onRequest} receives the request as soon as it exists, so the caller can reset it
     * (cancel) at any time.
     */
    public Future<HttpClientResponse> send(UpstreamRequest upstream, long connectTimeoutMillis,
            Consumer<HttpClientRequest> onRequest) {
        URI uri;
        try {
            uri = URI.create(upstream.url());
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(ChatException.invalidRequest("The model name makes an invalid provider URL."));
        }
        return http.send(HttpMethod.POST, uri, upstream.headers(), upstream.body(),
                OutboundHttp.SendOptions.DEFAULT.connectTimeout(connectTimeoutMillis).onRequest(onRequest));
    }

    /** A successful answer's body, up to {@code SUITE_UPSTREAM_MAX_BODY}. */
    public Future<Buffer> body(HttpClientResponse response) {
        return http.readBody(response);
    }

    /** An error answer's body, up to 1 MiB: enough for any provider's message. */
    public Future<Buffer> errorBody(HttpClientResponse response) {
        return http.readBody(response, MAX_ERROR_BODY);
    }

    /** A stream that broke off, described as much as the auth mode allows. */
    public RuntimeException brokenOff(Throwable failure) {
        return http.brokenOff(failure);
    }

    /** The longest stream line or event a provider may send. */
    public int maxLine() {
        return http.maxLine();
    }
}
