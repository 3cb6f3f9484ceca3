package dev.suite.llm.usage;

import dev.suite.commons.identity.CurrentUser;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/llm/usage")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Usage", description = "What the caller's chat calls through the gateway used.")
public class UsageResource {

    private final UsageService service;
    private final CurrentUser user;

    public UsageResource(UsageService service, CurrentUser user) {
        this.service = service;
        this.user = user;
    }

    @GET
    @Operation(summary = "Aggregated usage", description = "Calls, errors, tokens (cached and reasoning among them), cost and average latencies per group.")
    public Uni<UsageSummary> summarize(
            @Parameter(description = "ISO instant or date; default 30 days before to") @QueryParam("from") String from,
            @Parameter(description = "ISO instant or date (exclusive); default now") @QueryParam("to") String to,
            @Parameter(description = "config (default), model, day or group") @QueryParam("group_by") String groupBy) {
        return service.summarize(user.id(), from, to, groupBy);
    }
}
