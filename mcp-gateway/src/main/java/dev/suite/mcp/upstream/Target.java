package dev.suite.mcp.upstream;

import java.net.URI;
import java.util.Map;

/**
 * Where and how an HTTP upstream is reached: its URL, the registered extra headers (opened
 * secrets) and, for a protected server, the owner's OAuth credentials.
 */
public record Target(String serverId, String name, URI uri, Map<String, String> headers, Credentials credentials) {

    @Override
    public String toString() {
        // Headers may hold credentials: never print them.
        return "MCP server '" + name + "'";
    }
}
