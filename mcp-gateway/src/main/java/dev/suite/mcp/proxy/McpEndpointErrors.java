package dev.suite.mcp.proxy;

import dev.suite.mcp.protocol.JsonRpc;
import io.vertx.ext.web.RoutingContext;

/** Protocol errors of the MCP routes, answered as JSON-RPC errors with the status the transport specifies. */
final class McpEndpointErrors {

    private McpEndpointErrors() {
    }

    /** Unknown, foreign or undecryptable session: 404, upon which a client initialises a new session. */
    static void sessionNotFound(RoutingContext rc) {
        PassThrough.rpcError(rc, 404, null, JsonRpc.UPSTREAM_ERROR, "Session not found", null);
    }
}
