package dev.suite.task.stats;

import dev.suite.commons.health.HealthReport;
import dev.suite.commons.health.HealthResource;
import dev.suite.commons.health.ServiceHealth;
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
 * The system routes of the task design note (004): {@code /api/v1/health} and {@code /api/v1/metrics}
 * (beside {@code /api/v1/stats}, which is the caller's own). Open like {@code /q/health} and
 * {@code /q/metrics}: they hold no user's data.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "System")
public class SystemResource {

    private final HealthReport health;
    private final StatsService stats;
    private final RequestWindow requests;

    public SystemResource(HealthReport health, StatsService stats, RequestWindow requests) {
        this.health = health;
        this.stats = stats;
        this.requests = requests;
    }

    @GET
    @Path("/health")
    @Operation(summary = "The service's health, as GET /api/health", description = "200 when up, 503 when down.")
    @APIResponse(responseCode = "200", description = "Up",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ServiceHealth.class)))
    @APIResponse(responseCode = "503", description = "Down: the components say which",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ServiceHealth.class)))
    public Uni<Response> health() {
        return health.current().map(HealthResource::answer);
    }

    @GET
    @Path("/metrics")
    @Operation(summary = "Request rate, error rate, latency percentiles and queue depths as JSON",
            description = "Requests are this replica's of the last minute; the queue is suite-wide. "
                    + "The Prometheus text of every meter is at /q/metrics.")
    @APIResponse(responseCode = "200", description = "The figures")
    public Uni<ServiceMetrics> metrics() {
        ServiceMetrics.Requests window = requests.snapshot(System.currentTimeMillis() / 1000);
        return stats.queue().map(queue -> new ServiceMetrics("task-service", window, queue));
    }
}
