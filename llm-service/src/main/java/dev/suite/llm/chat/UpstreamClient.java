package dev.suite.llm.chat;

import dev.suite.llm.LlmSettings;
import dev.suite.llm.chat.providers.UpstreamRequest;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.function.Consumer;

/**
 * The one HTTP client every provider call goes through: kept-alive connection pools per host,
 * no decompression or buffering of its own, so stream frames reach the gateway as they arrive.
 */
@ApplicationScoped
public class UpstreamClient {

    private final HttpClient client;

    public UpstreamClient(Vertx vertx, LlmSettings settings) {
        this.client = vertx.createHttpClient(new HttpClientOptions()
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
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(upstream.url())
                .setHeaders(upstream.headers())
                .setConnectTimeout(connectTimeoutMillis);
        return client.request(options).compose(request -> {
            onRequest.accept(request);
            return request.send(upstream.body());
        });
    }

    void close(@Observes ShutdownEvent event) {
        client.close();
    }
}
