package dev.suite.commons.net;

import io.vertx.core.Future;

import java.net.InetAddress;
import java.util.List;

/**
 * Looks up the addresses of a host name for {@link OutboundHttp}, which checks them all and then
 * connects to one of exactly those: the only lookup a request gets. A bean, so that tests can
 * answer with a name whose addresses change between two lookups.
 */
public interface HostResolver {

    /** Every address of {@code host}; fails when it does not resolve. Never blocks the caller. */
    Future<List<InetAddress>> resolve(String host);
}
