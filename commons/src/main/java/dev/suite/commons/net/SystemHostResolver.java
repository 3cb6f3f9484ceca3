package dev.suite.commons.net;

import io.quarkus.arc.DefaultBean;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.InetAddress;
import java.util.List;

/** The operating system's resolver (hosts file, DNS), on a worker thread because it blocks. */
@DefaultBean
@ApplicationScoped
public class SystemHostResolver implements HostResolver {

    private final Vertx vertx;

    public SystemHostResolver(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public Future<List<InetAddress>> resolve(String host) {
        return vertx.executeBlocking(() -> List.of(InetAddress.getAllByName(host)), false);
    }
}
