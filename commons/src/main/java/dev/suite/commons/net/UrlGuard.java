package dev.suite.commons.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The server-side request forgery guard for every URL a user can make a service fetch (MCP
 * servers, workflow HTTP nodes, OAuth endpoints). Link-local addresses (which hold the cloud
 * metadata services), the unspecified address, multicast and known metadata hosts are never
 * reachable; loopback and private ranges only when {@code allowPrivate} (a single-machine suite
 * talks to its neighbours on 127.0.0.1, a shared deployment must not).
 *
 * <p>{@link #check(URI)} resolves the host, so it blocks: call it off the event loop. Each hop of
 * a redirect must be checked again, since a public URL may redirect to a private one.
 */
public final class UrlGuard {

    private static final Set<String> METADATA_HOSTS = Set.of("metadata.google.internal", "metadata",
            "metadata.azure.internal", "instance-data", "instance-data.ec2.internal");

    private final boolean allowPrivate;

    public UrlGuard(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    public boolean allowsPrivate() {
        return allowPrivate;
    }

    /**
     * What is wrong with a URL without looking anything up: scheme, credentials, a fragment, and a
     * literal address or metadata host name the guard refuses. Empty when it may be saved.
     */
    public Optional<String> syntaxProblem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("must be an absolute http(s) URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            return Optional.of("must be an absolute http(s) URL");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not contain credentials; use headers");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("must not have a fragment");
        }
        String host = hostOf(uri);
        if (METADATA_HOSTS.contains(host)) {
            return Optional.of("must not point at a cloud metadata service");
        }
        if (isLiteralAddress(host)) {
            try {
                return addressProblem(InetAddress.getByName(host));
            } catch (UnknownHostException e) {
                return Optional.of("has an invalid address");
            }
        }
        return Optional.empty();
    }

    /**
     * The full check before a connection: the syntax, then every address the host resolves to.
     * Empty when the URL may be fetched.
     */
    public Optional<String> check(URI uri) {
        Optional<String> syntax = syntaxProblem(uri.toString());
        if (syntax.isPresent()) {
            return syntax;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(hostOf(uri));
        } catch (UnknownHostException e) {
            return Optional.of("host " + uri.getHost() + " does not resolve");
        }
        for (InetAddress address : addresses) {
            Optional<String> problem = addressProblem(address);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    /** Why the guard refuses this address, or empty when it may be reached. */
    public Optional<String> addressProblem(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return Optional.of("must not point at an unspecified or multicast address");
        }
        if (address.isLinkLocalAddress() || isAlwaysBlocked(address)) {
            return Optional.of("must not point at a link-local or cloud metadata address");
        }
        if (!allowPrivate && isPrivate(address)) {
            return Optional.of("must not point at a loopback or private network address");
        }
        return Optional.empty();
    }

    private static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            // 100.64.0.0/10, carrier-grade NAT: internal to the provider's network.
            return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
        }
        // fc00::/7, IPv6 unique local addresses.
        return address instanceof Inet6Address && (b[0] & 0xfe) == 0xfc;
    }

    /** Metadata services outside the link-local range: Alibaba's, and AWS's IPv6 endpoint. */
    private static boolean isAlwaysBlocked(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return (b[0] & 0xff) == 100 && (b[1] & 0xff) == 100 && (b[2] & 0xff) == 100 && (b[3] & 0xff) == 200;
        }
        // fd00:ec2::254
        return b.length == 16 && (b[0] & 0xff) == 0xfd && b[1] == 0 && (b[2] & 0xff) == 0x0e && (b[3] & 0xff) == 0xc2
                && allZero(b, 4, 14) && b[14] == 0x02 && (b[15] & 0xff) == 0x54;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static String hostOf(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** Dotted IPv4 or bracketed/colon IPv6 only, so that no name lookup happens here. */
    private static boolean isLiteralAddress(String host) {
        return host.contains(":") || host.matches("[0-9.]+") || host.matches("0x[0-9a-f.x]+");
    }
}
