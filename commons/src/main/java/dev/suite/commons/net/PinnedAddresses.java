package dev.suite.commons.net;

import io.vertx.core.Future;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A host's addresses, looked up once and checked against the {@link UrlGuard} as a whole — a name
 * with one refused address is refused — then reused for a short while. Connections go to these
 * addresses and nowhere else, so a name that rebinds between the check and the connection (DNS
 * rebinding) cannot lead elsewhere: there is no second lookup.
 */
final class PinnedAddresses {

    private static final int MAX_ENTRIES = 10_000;

    private record Entry(Future<List<InetAddress>> addresses, long expiresAt) {
    }

    private final UrlGuard guard;
    private final HostResolver resolver;
    private final long ttlNanos;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    PinnedAddresses(UrlGuard guard, HostResolver resolver, Duration ttl) {
        this.guard = guard;
        this.resolver = resolver;
        this.ttlNanos = ttl.toNanos();
    }

    /**
     * The checked addresses of {@code host} (lower case, without brackets). Fails with a
     * {@link OutboundException.Kind#REFUSED} exception when the guard refuses one of them, or with
     * the resolver's failure when the name does not resolve.
     */
    Future<List<InetAddress>> of(String host) {
        if (UrlGuard.isLiteralAddress(host)) {
            InetAddress literal = UrlGuard.parseLiteral(host);
            return literal == null
                    ? Future.failedFuture(new OutboundException(OutboundException.Kind.REFUSED, host + " is not a valid address"))
                    : checked(host, List.of(literal));
        }
        long now = System.nanoTime();
        Entry entry = entries.get(host);
        if (entry != null && now - entry.expiresAt() < 0) {
            return entry.addresses();
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        Future<List<InetAddress>> looked = resolver.resolve(host).compose(addresses -> checked(host, addresses));
        entries.put(host, new Entry(looked, now + ttlNanos));
        // A name that did not resolve may resolve a moment later; a refusal stands for the TTL.
        looked.onFailure(e -> {
            if (!(e instanceof OutboundException)) {
                entries.remove(host);
            }
        });
        return looked;
    }

    private Future<List<InetAddress>> checked(String host, List<InetAddress> addresses) {
        if (addresses.isEmpty()) {
            return Future.failedFuture(new java.net.UnknownHostException(host));
        }
        for (InetAddress address : addresses) {
            Optional<String> problem = guard.addressProblem(address);
            if (problem.isPresent()) {
                return Future.failedFuture(new OutboundException(OutboundException.Kind.REFUSED,
                        host + " resolves to " + address.getHostAddress() + ", and a URL " + problem.get()));
            }
        }
        return Future.succeededFuture(addresses);
    }
}
