package dev.suite.commons.health;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/health} of every service, where desktop shells and front ends look (design notes
 * 000 and 001). Open, like {@code /q/health}: it says only up or down, per component.
 */
@Path("/api/health")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Health", description = "Whether this service and its dependencies are up.")
public class HealthResource {

    private final HealthReport report;

    public HealthResource(HealthReport report) {
        this.report = report;
    }

    @GET
    @Operation(summary = "This service's health", description = "200 when every check is up, 503 otherwise.")
    @APIResponse(responseCode = "200", description = "Up",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ServiceHealth.class)))
    @APIResponse(responseCode = "503", description = "Down: the components say which",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ServiceHealth.class)))
    public Uni<Response> health() {
        return report.current().map(HealthResource::answer);
    }

    /** 200 with the health when up, 503 with it when down. */
    public static Response answer(ServiceHealth health) {
        return Response.status(health.up() ? 200 : 503).entity(health).build();
    }
}
