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
 * Where a URL a user supplied may point: the rules behind {@link OutboundHttp}, which applies them
 * to the addresses it actually connects to. Link-local addresses (which hold the cloud metadata
 * services), metadata hosts, the unspecified, reserved and multicast ranges are never reachable;
 * loopback, private, carrier-grade NAT and unique-local ranges only when {@code allowPrivate} (a
 * single-machine suite talks to a local Ollama or MCP server; a shared deployment must not reach
 * its own network). An IPv6 address that carries an IPv4 one — mapped, compatible, NAT64 or 6to4
 * — is judged by the IPv4 address inside, since that is where the packets end up.
 */
public final class UrlGuard {

    private static final Set<String> METADATA_HOSTS = Set.of("metadata.google.internal", "metadata",
            "metadata.azure.internal", "instance-data", "instance-data.ec2.internal");

    private final boolean allowPrivate;

    public UrlGuard(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /**
     * What is wrong with a URL without looking anything up: scheme, credentials, a fragment, and a
     * literal address or metadata host name the guard refuses. Empty when it may be saved; a name
     * is checked again by what it resolves to when it is reached.
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
            return Optional.of("must not contain credentials");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("must not have a fragment");
        }
        String host = hostOf(uri);
        if (METADATA_HOSTS.contains(host)) {
            return Optional.of("must not point at a cloud metadata service");
        }
        if (isLiteralAddress(host)) {
            InetAddress literal = parseLiteral(host);
            return literal == null ? Optional.of("has an invalid address") : addressProblem(literal);
        }
        return Optional.empty();
    }

    /**
     * An address literal as a resolver reads it — IPv6, or IPv4 in the 1 to 4 part decimal forms
     * ({@code 127.1}, {@code 2130706433}) — without a name lookup; null when it is not a valid one.
     */
    static InetAddress parseLiteral(String host) {
        try {
            if (host.contains(":")) {
                // With a colon the JDK parses an IPv6 literal and never asks DNS.
                return InetAddress.getByName("[" + host + "]");
            }
            String[] parts = host.split("\\.", -1);
            if (parts.length > 4) {
                return null;
            }
            long value = 0;
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].isEmpty() || parts[i].length() > 10 || !parts[i].chars().allMatch(Character::isDigit)) {
                    return null;
                }
                long part = Long.parseLong(parts[i]);
                // The last part fills every byte left: 127.1 is 127.0.0.1.
                int bytes = i == parts.length - 1 ? 4 - i : 1;
                if (part >= 1L << (8 * bytes)) {
                    return null;
                }
                value = (value << (8 * bytes)) | part;
            }
            return InetAddress.getByAddress(host, new byte[] {(byte) (value >>> 24), (byte) (value >>> 16),
                    (byte) (value >>> 8), (byte) value});
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Why the guard refuses this address, or empty when it may be reached. */
    public Optional<String> addressProblem(InetAddress address) {
        byte[] v4 = embeddedIpv4(address);
        if (v4 != null) {
            return ipv4Problem(v4);
        }
        byte[] b = address.getAddress();
        if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return Optional.of("must not point at an unspecified or multicast address");
        }
        if (address.isLinkLocalAddress() || isAwsMetadataV6(b)) {
            return Optional.of("must not point at a link-local or cloud metadata address");
        }
        // ::1, fc00::/7 unique local, fec0::/10 (deprecated site-local), 64:ff9b:1::/48 (local-use NAT64).
        boolean privateV6 = address.isLoopbackAddress() || (b[0] & 0xfe) == 0xfc || address.isSiteLocalAddress()
                || (b[0] == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                        && b[4] == 0 && b[5] == 1);
        return privateV6 ? privateProblem() : Optional.empty();
    }

    private Optional<String> ipv4Problem(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 0 || first >= 224) {
            return Optional.of("must not point at an unspecified, reserved or multicast address");
        }
        if (first == 169 && second == 254 || first == 100 && second == 100 && (b[2] & 0xff) == 100 && (b[3] & 0xff) == 200) {
            // 169.254/16 holds AWS, GCP and Azure metadata; 100.100.100.200 is Alibaba's.
            return Optional.of("must not point at a link-local or cloud metadata address");
        }
        boolean isPrivate = first == 127 || first == 10
                || first == 172 && (second & 0xf0) == 16
                || first == 192 && second == 168
                || first == 100 && (second & 0xc0) == 64 // carrier-grade NAT, inside the provider's network
                || first == 198 && (second & 0xfe) == 18; // benchmarking, used inside some networks
        return isPrivate ? privateProblem() : Optional.empty();
    }

    private Optional<String> privateProblem() {
        return allowPrivate ? Optional.empty() : Optional.of("must not point at a loopback or private network address");
    }

    /**
     * The IPv4 address an address stands for: itself, or the one inside an IPv4-mapped
     * ({@code ::ffff:0:0/96}), IPv4-compatible ({@code ::/96}), NAT64 ({@code 64:ff9b::/96}) or 6to4
     * ({@code 2002::/16}) IPv6 address. Null for other IPv6 addresses.
     */
    static byte[] embeddedIpv4(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return b;
        }
        if (!(address instanceof Inet6Address)) {
            return null;
        }
        if (allZero(b, 0, 10) && ((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff
                || b[10] == 0 && b[11] == 0 && !allZero(b, 12, 15))) {
            return new byte[] {b[12], b[13], b[14], b[15]};
        }
        if (b[0] == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && allZero(b, 4, 12)) {
            return new byte[] {b[12], b[13], b[14], b[15]};
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            return new byte[] {b[2], b[3], b[4], b[5]};
        }
        return null;
    }

    /** fd00:ec2::254, AWS's IPv6 metadata endpoint. */
    private static boolean isAwsMetadataV6(byte[] b) {
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

    static String hostOf(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /**
     * Something that reads as an address rather than a name: IPv6, digits and dots, or the hex and
     * octal forms some resolvers accept (which the JDK does not, so they are simply invalid here).
     */
    static boolean isLiteralAddress(String host) {
        return host.contains(":") || host.matches("[0-9.]+") || host.matches("0x[0-9a-f.x]+");
    }
}
