package dev.suite.task.stats;

import dev.suite.commons.identity.CurrentUser;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Map;

@Path("/api/v1/stats")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Stats")
public class StatsResource {

    private final StatsService stats;
    private final CurrentUser user;

    public StatsResource(StatsService stats, CurrentUser user) {
        this.stats = stats;
        this.user = user;
    }

    @GET
    @Operation(summary = "Your tasks by state and type, throughput, failure rate and run times; queue depth suite-wide",
            description = "The same figures suite-wide are the Prometheus metrics task.count, task.queue.depth and task.run.")
    public Uni<Map<String, Object>> get() {
        return stats.stats(user.id());
    }
}
