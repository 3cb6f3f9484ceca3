package dev.suite.commons.problem;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Tells a dependency that is away (MySQL, Redis: connection refused, closed, pool exhausted) from
 * a bug, so the first answers 503 with {@code Retry-After} rather than 500. Matched by class name:
 * commons does not depend on every client library whose exceptions it recognises.
 */
public final class Unavailability {

    private static final Set<String> UNAVAILABLE = Set.of(
            "java.net.ConnectException",
            "java.net.NoRouteToHostException",
            "java.nio.channels.ClosedChannelException",
            "io.netty.channel.ConnectTimeoutException",
            "io.vertx.sqlclient.ClosedConnectionException",
            "io.vertx.core.http.ConnectionPoolTooBusyException",
            "io.vertx.core.net.impl.pool.ConnectionPoolTooBusyException");

    private Unavailability() {
    }

    /** Whether the failure, its causes or what it suppressed (Mutiny composites) is a dependency being away. */
    public static boolean isDependencyUnavailable(Throwable failure) {
        return search(failure, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static boolean search(Throwable t, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return false;
        }
        for (Class<?> type = t.getClass(); type != null; type = type.getSuperclass()) {
            if (UNAVAILABLE.contains(type.getName())) {
                return true;
            }
        }
        for (Throwable suppressed : t.getSuppressed()) {
            if (search(suppressed, seen)) {
                return true;
            }
        }
        return search(t.getCause(), seen);
    }
}
