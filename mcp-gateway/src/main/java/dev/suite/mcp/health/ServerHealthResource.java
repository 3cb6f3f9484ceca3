package dev.suite.mcp.health;

import dev.suite.commons.identity.CurrentUser;
import dev.suite.commons.problem.Problem;
import dev.suite.mcp.registry.McpServerService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A live health check of one of the caller's servers. The answer is 200 whether the server is up
 * or not: the report says which.
 */
@Path("/api/mcp/servers/{id}/health")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "MCP health", description = "Reachability, era, latency and last error of a registered server.")
@APIResponse(responseCode = "404", description = "No such server of yours",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class ServerHealthResource {

    private final McpServerService servers;
    private final HealthChecker checker;
    private final CurrentUser user;

    public ServerHealthResource(McpServerService servers, HealthChecker checker, CurrentUser user) {
        this.servers = servers;
        this.checker = checker;
        this.user = user;
    }

    @GET
    @Operation(summary = "Check a server now")
    @APIResponse(responseCode = "200", description = "The health report")
    public Uni<HealthReport> health(@PathParam("id") String id) {
        return servers.find(user.id(), id).chain(checker::check);
    }
}
