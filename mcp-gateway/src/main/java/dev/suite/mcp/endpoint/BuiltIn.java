package dev.suite.mcp.endpoint;

import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.ProblemType;
import dev.suite.mcp.feedback.FeedbackService;
import dev.suite.mcp.protocol.JsonRpc;
import dev.suite.mcp.registry.McpServer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.Consumer;

/**
 * The gateway's own MCP server, {@code suite}: reachable alone at {@code /mcp/servers/suite} and
 * inside the aggregate. Its tool answers JSON-RPC responses like an upstream's, so the endpoint
 * treats both alike.
 */
final class BuiltIn {

    public static final String ID = "suite";

    /** Stands for the built-in server among registered ones when names are counted and prefixed. */
    static final McpServer SERVER = new McpServer();

    static {
        SERVER.id = ID;
        SERVER.name = ID;
    }

    private final String ownerId;
    private final FeedbackService feedback;

    BuiltIn(String ownerId, FeedbackService feedback) {
        this.ownerId = ownerId;
        this.feedback = feedback;
    }

    List<JsonObject> tools() {
        return List.of(FeedbackService.toolDefinition());
    }

    /** A JSON-RPC response (result or error) for a call of one of its tools. */
    Uni<JsonObject> call(JsonObject params, Consumer<JsonObject> progress) {
        JsonObject arguments = params.getJsonObject("arguments", new JsonObject());
        return feedback.collect(ownerId, arguments, progress)
                .map(result -> JsonRpc.result(null, result))
                .onFailure(e -> e instanceof ProblemException p && p.type() == ProblemType.VALIDATION)
                .recoverWithItem(e -> JsonRpc.error(null, JsonRpc.INVALID_PARAMS, e.getMessage() + " "
                        + ((ProblemException) e).errors(), null));
    }
}
