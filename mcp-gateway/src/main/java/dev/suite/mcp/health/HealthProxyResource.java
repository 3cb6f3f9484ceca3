package dev.suite.mcp.health;

import dev.suite.commons.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The original health proxy route, {@code GET /mcp/health?server_id=}: the same report by query. */
@Path("/mcp/health")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "MCP health")
public class HealthProxyResource {

    private final ServerHealthResource health;

    public HealthProxyResource(ServerHealthResource health) {
        this.health = health;
    }

    @GET
    @Operation(summary = "Check a server now")
    @APIResponse(responseCode = "200", description = "The health report")
    @APIResponse(responseCode = "400", description = "server_id is missing")
    @APIResponse(responseCode = "404", description = "No such server of yours")
    public Uni<HealthReport> health(@QueryParam("server_id") String id) {
        if (id == null || id.isBlank()) {
            return Uni.createFrom().failure(ProblemException.invalidField("server_id", "is required"));
        }
        return health.health(id);
    }
}
