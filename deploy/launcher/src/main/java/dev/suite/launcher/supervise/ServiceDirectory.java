package dev.suite.launcher.supervise;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * Where each service can be reached right now. The supervisor writes it as services start, stop
 * and move; the gateway's event loops read it for every request, and listen to its changes to
 * push them to desktop shells ({@code /api/health/events}).
 */
public final class ServiceDirectory {

    /** A service's port and state at one moment. */
    public record Endpoint(int port, ServiceState state) {
    }

    private final ConcurrentHashMap<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, Endpoint>> listeners = new CopyOnWriteArrayList<>();

    /** Records a service's endpoint; listeners hear of it only when it differs from the one before. */
    public void put(String service, int port, ServiceState state) {
        Endpoint endpoint = new Endpoint(port, state);
        if (!endpoint.equals(endpoints.put(service, endpoint))) {
            listeners.forEach(listener -> listener.accept(service, endpoint));
        }
    }

    public Optional<Endpoint> get(String service) {
        return Optional.ofNullable(endpoints.get(service));
    }

    /** Called on the writer's thread: a listener hands the change over to its own context. */
    public Runnable listen(BiConsumer<String, Endpoint> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
