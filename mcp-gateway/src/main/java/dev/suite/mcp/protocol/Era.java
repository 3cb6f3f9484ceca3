package dev.suite.mcp.protocol;

/** The generations of MCP transports the gateway speaks, upstream and downstream. */
public enum Era {
    /** Streamable HTTP with sessions: {@code initialize}, {@code Mcp-Session-Id} (2025-03-26 … 2025-11-25). */
    LEGACY("legacy"),
    /** Stateless Streamable HTTP: every request carries its {@code _meta} (2026-07-28). */
    MODERN("modern"),
    /** The 2024-11-05 HTTP+SSE transport: a GET event stream and the POST endpoint it names. */
    HTTP_SSE("http-sse"),
    /** Newline-delimited JSON-RPC over a process's stdin and stdout, with {@code initialize}. */
    STDIO("stdio");

    private final String wireName;

    Era(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
