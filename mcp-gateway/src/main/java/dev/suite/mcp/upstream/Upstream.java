package dev.suite.mcp.upstream;

import dev.suite.mcp.protocol.Era;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

import java.util.function.Consumer;

/**
 * One registered MCP server as the gateway's own client sees it, whatever its transport. The
 * gateway calls through it for the REST tools routes, health checks and the aggregated endpoint;
 * the per-server proxy relays most traffic without it.
 */
public interface Upstream {

    /**
     * Sends a request and completes with the upstream's JSON-RPC response (a {@code result} or an
     * {@code error} object). Notifications the upstream sends about the request (progress, log
     * messages) go to {@code onNotification} as they arrive and keep the call alive; the call
     * fails with a 502/504 problem when the upstream is unreachable, answers badly or runs past
     * its limits.
     *
     * @param onNotification null when the caller wants no progress; otherwise a progress token is sent
     */
    Uni<JsonObject> call(String method, JsonObject params, Consumer<JsonObject> onNotification, CallLimits limits);

    /** Detects the upstream's era (once) and makes it ready: a session or a started process. */
    Uni<Handshake> connect();

    /** Stops what this upstream holds: a process, an event stream, a session. */
    void close();

    /** What the connection learnt of the upstream. */
    record Handshake(Era era, String protocolVersion, JsonObject capabilities, JsonObject serverInfo,
            String instructions) {
    }
}
