package dev.suite.mcp.upstream;

import java.net.URI;
import java.util.Map;

/** Where and how an HTTP upstream is reached: its URL and the registered extra headers (opened secrets). */
public record Target(String serverId, String name, URI uri, Map<String, String> headers) {

    @Override
    public String toString() {
        // Headers may hold credentials: never print them.
        return "MCP server '" + name + "'";
    }
}
