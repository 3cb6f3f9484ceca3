package dev.suite.launcher.supervise;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each service can be reached right now. The supervisor writes it as services start, stop
 * and move; the gateway's event loops read it for every request.
 */
public final class ServiceDirectory {

    /** A service's port and state at one moment. */
    public record Endpoint(int port, ServiceState state) {
    }

    private final ConcurrentHashMap<String, Endpoint> endpoints = new ConcurrentHashMap<>();

    public void put(String service, int port, ServiceState state) {
        endpoints.put(service, new Endpoint(port, state));
    }

    public Optional<Endpoint> get(String service) {
        return Optional.ofNullable(endpoints.get(service));
    }
}
