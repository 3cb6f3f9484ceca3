package dev.suite.mcp.protocol;

import java.util.List;

/** The protocol revisions the gateway speaks, newest first, and the negotiation between them. */
public final class McpVersions {

    public static final String MODERN = "2026-07-28";
    public static final String LATEST_LEGACY = "2025-11-25";
    public static final String HTTP_SSE = "2024-11-05";
    /** What a client without an {@code MCP-Protocol-Version} header is assumed to speak. */
    public static final String DEFAULT_WITHOUT_HEADER = "2025-03-26";
    public static final List<String> LEGACY = List.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");
    public static final List<String> ALL = List.of(MODERN, "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");

    private McpVersions() {
    }

    /** The version answered to an {@code initialize}: the client's when we speak it, else our latest legacy one. */
    public static String negotiateLegacy(String requested) {
        return requested != null && LEGACY.contains(requested) ? requested : LATEST_LEGACY;
    }

    public static boolean isModern(String version) {
        return MODERN.equals(version);
    }

    public static boolean isKnown(String version) {
        return ALL.contains(version);
    }
}
