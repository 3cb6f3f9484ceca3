package dev.suite.commons.net;

import dev.suite.commons.identity.AuthConfig;
import dev.suite.commons.identity.AuthMode;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.tracing.TracingPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Makes the {@link OutboundHttp} clients of a service — one per use, with the pool and timeouts
 * that use needs — over one guard and one set of pinned addresses, and closes them at shutdown.
 */
@ApplicationScoped
public class OutboundClients {

    private final Vertx vertx;
    private final UrlGuard guard;
    private final PinnedAddresses pins;
    private final boolean local;
    private final OutboundConfig config;
    private final List<OutboundHttp> clients = new CopyOnWriteArrayList<>();

    public OutboundClients(Vertx vertx, OutboundConfig config, AuthConfig auth, HostResolver resolver) {
        this.vertx = vertx;
        this.config = config;
        this.local = auth.mode() == AuthMode.LOCAL;
        this.guard = new UrlGuard(config.allowPrivateNetworks().orElse(local));
        this.pins = new PinnedAddresses(guard, resolver, config.addressTtl());
    }

    /** The rules, for checking a URL when it is saved (a literal address in a refused range is a 400 then). */
    public UrlGuard guard() {
        return guard;
    }

    /**
     * A client for user-supplied URLs. It sends no trace context: a provider or a user's server is
     * outside the suite and learns nothing of its traces (the caller's own span describes the call).
     */
    public OutboundHttp create(HttpClientOptions options) {
        options.setTracingPolicy(TracingPolicy.IGNORE);
        OutboundHttp client = new OutboundHttp(vertx.createHttpClient(options), guard, pins, local,
                config.maxBody().asLongValue(), (int) Math.min(Integer.MAX_VALUE, config.maxLine().asLongValue()));
        clients.add(client);
        return client;
    }

    void close(@Observes ShutdownEvent event) {
        clients.forEach(OutboundHttp::close);
    }
}
