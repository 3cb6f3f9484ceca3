package dev.suite.mcp.upstream;

import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.ProblemType;
import dev.suite.mcp.protocol.JsonRpc;
import dev.suite.mcp.registry.McpServer;
import dev.suite.mcp.registry.ServerCache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/** The caller's enabled server and its connection, and the REST face of upstream JSON-RPC errors. */
@ApplicationScoped
public class UpstreamAccess {

    private final ServerCache servers;
    private final UpstreamPool pool;

    public UpstreamAccess(ServerCache servers, UpstreamPool pool) {
        this.servers = servers;
        this.pool = pool;
    }

    public record Connected(McpServer server, Upstream upstream) {
    }

    /** 404 for a server that is not the caller's, 409 for a disabled one. */
    public Uni<Connected> enabled(String ownerId, String serverId) {
        return servers.owned(ownerId, serverId).map(server -> {
            if (!server.enabled) {
                throw ProblemException.conflict("MCP server '" + server.name + "' is disabled.");
            }
            return new Connected(server, pool.get(server));
        });
    }

    /** A protected server refused the gateway: the user must authorise (again) before it can be used. */
    public static ProblemException authorizationNeeded(String serverName) {
        return new ProblemException(ProblemType.UNAUTHORIZED, "MCP server '" + serverName + "' requires your "
                + "authorization: POST /mcp/oauth/start with its server_id, then follow authorization_url.",
                null, null, null);
    }

    /** The result of a JSON-RPC response, or the problem its error stands for. */
    public static JsonObject resultOrProblem(JsonObject response, McpServer server) {
        JsonObject result = response.getJsonObject("result");
        if (result != null) {
            return result;
        }
        JsonObject error = response.getJsonObject("error", new JsonObject());
        String message = "MCP server '" + server.name + "': " + error.getString("message", "error without message");
        int code = error.getInteger("code", JsonRpc.INTERNAL_ERROR);
        throw switch (code) {
            case JsonRpc.INVALID_PARAMS -> new ProblemException(ProblemType.VALIDATION, message, null, null, null);
            case JsonRpc.METHOD_NOT_FOUND -> new ProblemException(ProblemType.NOT_FOUND, message, null, null, null);
            default -> ProblemException.upstream(message, null);
        };
    }
}
