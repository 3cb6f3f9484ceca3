package dev.suite.mcp.tools;

import dev.suite.commons.problem.ProblemException;
import dev.suite.mcp.McpSettings;
import dev.suite.mcp.registry.McpServer;
import dev.suite.mcp.registry.McpServerMapper;
import dev.suite.mcp.upstream.CallLimits;
import dev.suite.mcp.upstream.Upstream;
import dev.suite.mcp.upstream.UpstreamAccess;
import dev.suite.mcp.upstream.UpstreamLists;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A server's tools for the other services: the list (cached, filtered by the server's allow and
 * deny lists) and calls (arguments in, the MCP result out, structured content kept).
 */
@ApplicationScoped
public class ToolsService {

    private final UpstreamAccess access;
    private final ToolCache cache;
    private final McpServerMapper mapper;
    private final McpSettings settings;

    public ToolsService(UpstreamAccess access, ToolCache cache, McpServerMapper mapper, McpSettings settings) {
        this.access = access;
        this.cache = cache;
        this.mapper = mapper;
        this.settings = settings;
    }

    public Uni<JsonArray> list(String ownerId, String serverId) {
        return access.enabled(ownerId, serverId).chain(c -> tools(c.server(), c.upstream()));
    }

    /** The server's permitted tools, from the cache or the upstream. */
    public Uni<JsonArray> tools(McpServer server, Upstream upstream) {
        long version = server.updatedAt.toEpochMilli();
        ToolFilter filter = filter(server);
        return cache.get(server.id, version)
                .onItem().ifNull().switchTo(() -> fetchAll(server, upstream)
                        .call(all -> cache.put(server.id, version, all)))
                .map(all -> new JsonArray(all.stream()
                        .filter(t -> t instanceof JsonObject tool && filter.permits(tool.getString("name")))
                        .toList()));
    }

    public Uni<JsonObject> call(String ownerId, String serverId, String tool, JsonObject arguments) {
        // Checked against the (cached) list, so a hidden or unknown tool is a 404 whatever the server would say.
        return access.enabled(ownerId, serverId).chain(c -> tools(c.server(), c.upstream())
                .chain(permitted -> {
                    if (permitted.stream().noneMatch(t -> t instanceof JsonObject o && tool.equals(o.getString("name")))) {
                        return Uni.createFrom().failure(ProblemException.notFound("Tool '" + tool + "'"));
                    }
                    JsonObject params = new JsonObject().put("name", tool).put("arguments", arguments);
                    // A progress token is requested so that progress keeps a long call alive up to its cap.
                    return c.upstream().call("tools/call", params, progress -> {
                            }, CallLimits.of(c.server()))
                            .map(response -> UpstreamAccess.resultOrProblem(response, c.server()));
                }));
    }

    public ToolFilter filter(McpServer server) {
        return new ToolFilter(mapper.strings(server.toolsAllow), mapper.strings(server.toolsDeny));
    }

    private Uni<JsonArray> fetchAll(McpServer server, Upstream upstream) {
        return UpstreamLists.all(server, upstream, "tools/list", "tools", "tools",
                CallLimits.quick(settings.requestTimeout()));
    }
}
