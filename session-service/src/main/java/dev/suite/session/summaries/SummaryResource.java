package dev.suite.session.summaries;

import dev.suite.commons.identity.CurrentUser;
import dev.suite.commons.problem.Problem;
import dev.suite.commons.calls.Callers;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Summaries", description = "Summaries of memory sessions and the context built on them.")
@APIResponse(responseCode = "404", description = "No such session of yours",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class SummaryResource {

    private final SummaryService service;
    private final CurrentUser user;
    private final Callers callers;

    public SummaryResource(SummaryService service, CurrentUser user, Callers callers) {
        this.service = service;
        this.user = user;
        this.callers = callers;
    }

    @GET
    @Path("/{id}/summaries")
    @Operation(summary = "The session's summaries, newest first")
    @APIResponse(responseCode = "200", description = "{items: [summary]}")
    public Uni<SummaryListResponse> list(@PathParam("id") String sessionId) {
        return service.list(user.id(), sessionId).map(SummaryListResponse::new);
    }

    @POST
    @Path("/{id}/summaries")
    @Operation(summary = "Summarise now", description = "Condenses the branch (the newest message's, or leaf's) "
            + "up to its newest messages, which stay as they are, through llm-service with the session's config.")
    @APIResponse(responseCode = "201", description = "The new summary",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SummaryResponse.class)))
    @APIResponse(responseCode = "409", description = "Nothing new to summarise, no llm_config_id, a summary "
            + "under way, or llm-service refused the config")
    @APIResponse(responseCode = "502", description = "llm-service failed")
    @APIResponse(responseCode = "503", description = "llm-service is unreachable")
    @APIResponse(responseCode = "504", description = "llm-service did not answer in time")
    public Uni<Response> summarize(@PathParam("id") String sessionId,
            @Parameter(description = "a message id: summarise its branch") @QueryParam("leaf") String leaf) {
        return service.summarize(callers.current(), sessionId, leaf, true)
                .map(made -> Response.status(Response.Status.CREATED).entity(made.orElseThrow()).build());
    }

    @GET
    @Path("/{id}/context")
    @Operation(summary = "The history to send a model", description = "The latest summary on the branch (the "
            + "newest message's, or leaf's) and the branch's messages after it, oldest first.")
    @APIResponse(responseCode = "200", description = "{summary, messages}")
    public Uni<ContextResponse> context(@PathParam("id") String sessionId,
            @Parameter(description = "a message id: the context of its branch") @QueryParam("leaf") String leaf) {
        return service.context(user.id(), sessionId, leaf);
    }
}
