package dev.suite.commons.perimeter;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may talk to the suite at all, decided from a request's {@code Host} and {@code Origin}
 * before anything else looks at it. Every service applies these rules, and so does the local API
 * gateway (which has no Quarkus), hence plain Java with no dependency.
 *
 * <p>{@code Host} must name the suite: a loopback name, an address literal, or a name the operator
 * listed ({@code SUITE_ALLOWED_HOSTS}; an entry starting with a dot allows that domain's names).
 * That refuses DNS rebinding, where a page on {@code rebind.attacker.example} has its name
 * re-pointed at 127.0.0.1 and so reaches the suite as a "same-origin" page: its requests carry the
 * attacker's name in {@code Host}. An address literal cannot be rebound — the browser connected to
 * that address because the page's own URL named it — so pod IPs (Kubernetes probes, Prometheus)
 * pass without being listed.
 *
 * <p>{@code Origin}, when a browser sends one, must be the suite's own (the same host and port as
 * {@code Host}, which has passed the check above) or one listed in {@code SUITE_CORS_ORIGINS}.
 * {@code null}, {@code file://} and {@code app://} origins of desktop shells count only when listed.
 */
public final class PerimeterRules {

    /** What an {@code Origin} header amounts to. */
    public enum OriginVerdict {
        /** No {@code Origin}: not a browser's cross-origin call. */
        NONE,
        /** The suite's own pages. */
        SAME,
        /** A listed front end: served, with CORS headers. */
        ALLOWED,
        REFUSED
    }

    public static final String ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
    public static final String EXPOSED_HEADERS = "Location, Retry-After, X-Request-Id, Content-Disposition, ETag, "
            + "Content-Range, Accept-Ranges, "
            + "Mcp-Session-Id, MCP-Protocol-Version, X-Suite-Config-Id";
    public static final String MAX_AGE_SECONDS = "600";

    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern HEADER_LIST =
            Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+(\\s*,\\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*");

    private final List<String> hosts;
    private final Set<String> origins;

    /**
     * @param allowedHosts names besides loopback ones ({@code api.example.com}, {@code llm-service},
     *                     or {@code .svc.cluster.local} for a whole domain)
     * @param corsOrigins  origins exactly as browsers send them ({@code https://app.example.com})
     */
    public PerimeterRules(List<String> allowedHosts, List<String> corsOrigins) {
        this.hosts = allowedHosts.stream().map(String::strip).filter(h -> !h.isEmpty())
                .map(h -> h.toLowerCase(Locale.ROOT)).toList();
        this.origins = Set.copyOf(corsOrigins.stream().map(String::strip).filter(o -> !o.isEmpty())
                .map(PerimeterRules::normalOrigin).toList());
        if (origins.contains("*")) {
            throw new IllegalArgumentException("SUITE_CORS_ORIGINS must list origins; '*' would let every web page "
                    + "call the suite with the user's rights");
        }
        if (hosts.contains("*") || hosts.contains(".")) {
            throw new IllegalArgumentException("SUITE_ALLOWED_HOSTS must list host names; a wildcard would let "
                    + "pages on any domain reach the suite through DNS rebinding");
        }
    }

    /** Whether a {@code Host} header value names the suite. A request without one is not a browser's. */
    public boolean hostAllowed(String hostHeader) {
        if (hostHeader == null) {
            return true;
        }
        String host = hostName(hostHeader);
        if (host == null) {
            return false;
        }
        if (LOOPBACK_NAMES.contains(host) || isAddressLiteral(host)) {
            return true;
        }
        for (String allowed : hosts) {
            if (allowed.startsWith(".") ? host.endsWith(allowed) && host.length() > allowed.length()
                    : host.equals(allowed)) {
                return true;
            }
        }
        return false;
    }

    /** The verdict on an {@code Origin}, for a request whose {@code Host} passed {@link #hostAllowed}. */
    public OriginVerdict origin(String origin, String hostHeader) {
        if (origin == null) {
            return OriginVerdict.NONE;
        }
        String normal = normalOrigin(origin);
        if (origins.contains(normal)) {
            return OriginVerdict.ALLOWED;
        }
        if (hostHeader != null && sameAuthority(normal, hostHeader.strip().toLowerCase(Locale.ROOT))) {
            return OriginVerdict.SAME;
        }
        return OriginVerdict.REFUSED;
    }

    /** Whether a request is a CORS preflight, which the perimeter answers itself. */
    public static boolean isPreflight(String method, String requestMethodHeader) {
        return "OPTIONS".equals(method) && requestMethodHeader != null;
    }

    /**
     * The {@code Access-Control-Allow-Headers} answer to an allowed origin's preflight: the headers
     * it asked for, when the list is well-formed (else null). The origin is trusted, so it may send
     * any header — MCP's {@code Mcp-Param-*} names cannot be listed ahead.
     */
    public static String allowedHeaders(String requested) {
        return requested != null && HEADER_LIST.matcher(requested.strip()).matches() ? requested.strip() : null;
    }

    /** {@code http(s)://host[:port]} of an origin against a {@code Host} value, default ports made explicit. */
    private static boolean sameAuthority(String origin, String host) {
        int scheme = origin.indexOf("://");
        if (scheme < 0) {
            return false;
        }
        String protocol = origin.substring(0, scheme);
        if (!protocol.equals("http") && !protocol.equals("https")) {
            return false;
        }
        String defaultPort = protocol.equals("https") ? ":443" : ":80";
        return withPort(origin.substring(scheme + 3), defaultPort).equals(withPort(host, defaultPort));
    }

    private static String withPort(String authority, String defaultPort) {
        int bracket = authority.lastIndexOf(']');
        int colon = authority.lastIndexOf(':');
        return colon > bracket ? authority : authority + defaultPort;
    }

    /** The host of a {@code Host} value without its port, bracketed when IPv6; null when malformed. */
    static String hostName(String hostHeader) {
        String value = hostHeader.strip().toLowerCase(Locale.ROOT);
        if (value.isEmpty()) {
            return null;
        }
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            if (end < 0 || end + 1 < value.length() && !validPort(value.substring(end + 1))) {
                return null;
            }
            return value.substring(0, end + 1);
        }
        int colon = value.indexOf(':');
        if (colon >= 0) {
            if (!validPort(value.substring(colon))) {
                return null;
            }
            value = value.substring(0, colon);
        }
        // A trailing dot names the same host ("localhost."), so it must not dodge the list.
        return value.endsWith(".") ? value.substring(0, value.length() - 1) : value;
    }

    private static boolean validPort(String colonAndPort) {
        return colonAndPort.length() >= 2 && colonAndPort.length() <= 6 && colonAndPort.charAt(0) == ':'
                && colonAndPort.substring(1).chars().allMatch(Character::isDigit);
    }

    private static boolean isAddressLiteral(String host) {
        if (host.startsWith("[")) {
            return host.length() > 2 && host.substring(1, host.length() - 1).chars()
                    .allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
        }
        if (!IPV4.matcher(host).matches()) {
            return false;
        }
        for (String part : host.split("\\.")) {
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    private static String normalOrigin(String origin) {
        String value = origin.strip().toLowerCase(Locale.ROOT);
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }
}
