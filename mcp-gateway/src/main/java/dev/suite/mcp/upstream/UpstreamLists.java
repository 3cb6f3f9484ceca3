package dev.suite.mcp.upstream;

import dev.suite.mcp.registry.McpServer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Whole MCP lists (tools, prompts, resources) gathered across the server's pages. */
public final class UpstreamLists {

    /** A server paging a list endlessly must not hold the gateway. */
    private static final int MAX_PAGES = 50;

    private UpstreamLists() {
    }

    /**
     * @param method     e.g. {@code prompts/list}
     * @param key        the array in the result, e.g. {@code prompts}
     * @param capability the server capability that must be present, e.g. {@code prompts}; an empty list otherwise
     */
    public static Uni<JsonArray> all(McpServer server, Upstream upstream, String method, String key, String capability,
            CallLimits limits) {
        return upstream.connect().chain(h -> h.capabilities().containsKey(capability)
                ? page(server, upstream, method, key, limits, null, new JsonArray(), 0)
                : Uni.createFrom().item(new JsonArray()));
    }

    private static Uni<JsonArray> page(McpServer server, Upstream upstream, String method, String key, CallLimits limits,
            String cursor, JsonArray collected, int pages) {
        JsonObject params = cursor == null ? new JsonObject() : new JsonObject().put("cursor", cursor);
        return upstream.call(method, params, null, limits)
                .map(response -> UpstreamAccess.resultOrProblem(response, server))
                .chain(result -> {
                    collected.addAll(result.getJsonArray(key, new JsonArray()));
                    String next = result.getString("nextCursor");
                    return next == null || pages + 1 >= MAX_PAGES ? Uni.createFrom().item(collected)
                            : page(server, upstream, method, key, limits, next, collected, pages + 1);
                });
    }
}
