package dev.suite.llm.limits;

import dev.suite.commons.identity.CurrentUser;
import dev.suite.commons.problem.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/llm/limits")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Limits", description = "The rate limits and budgets your calls run under, and what they have used.")
@APIResponse(responseCode = "401", description = "Missing or invalid credentials",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class LimitResource {

    private final LimitService service;
    private final CurrentUser user;

    public LimitResource(LimitService service, CurrentUser user) {
        this.service = service;
        this.user = user;
    }

    @GET
    @Operation(summary = "Your limits and what they have used", description = "Yours (set by the operator), then "
            + "those of your configs and model groups (set in them): requests and tokens over the last minute, calls "
            + "in flight, and spend this UTC day and month.")
    @APIResponse(responseCode = "200", description = "The limits")
    @APIResponse(responseCode = "503", description = "Redis did not answer")
    public Uni<List<LimitStatus>> list() {
        return service.list(user.id());
    }
}
