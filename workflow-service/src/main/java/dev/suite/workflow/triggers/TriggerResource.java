package dev.suite.workflow.triggers;

import dev.suite.commons.calls.Callers;
import dev.suite.commons.identity.CurrentUser;
import dev.suite.commons.problem.Problem;
import dev.suite.workflow.triggers.dto.TriggerRequest;
import dev.suite.workflow.triggers.dto.TriggerResponse;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.List;

@Path("/api/workflows/{id}/triggers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Triggers", description = "What runs a saved workflow without a person: schedules, webhooks, events of other services.")
@APIResponse(responseCode = "401", description = "Missing or invalid credentials",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class TriggerResource {

    private final TriggerService service;
    private final CurrentUser user;
    private final Callers callers;

    public TriggerResource(TriggerService service, CurrentUser user, Callers callers) {
        this.service = service;
        this.user = user;
        this.callers = callers;
    }

    @POST
    @Operation(summary = "Add a trigger", description = "Its runs are made for you, with the credentials of this call; "
            + "a webhook's generated secret is in this answer only.")
    @APIResponse(responseCode = "201", description = "Created: a schedule with next_run_at, a webhook with webhook_url",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TriggerResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields, listed in errors[]")
    @APIResponse(responseCode = "404", description = "No such workflow (or version) of yours")
    @APIResponse(responseCode = "409", description = "You have the most triggers allowed")
    public Uni<Response> create(@PathParam("id") String workflowId, @NotNull TriggerRequest request) {
        return service.create(callers.current(), workflowId, request).map(t -> Response.created(
                URI.create("/api/workflows/" + workflowId + "/triggers/" + t.triggerId())).entity(t).build());
    }

    @GET
    @Operation(summary = "The workflow's triggers")
    @APIResponse(responseCode = "200", description = "Its triggers; a webhook's secret is not shown, only has_secret")
    @APIResponse(responseCode = "404", description = "No such workflow of yours")
    public Uni<List<TriggerResponse>> list(@PathParam("id") String workflowId) {
        return service.list(user.id(), workflowId);
    }

    @GET
    @Path("/{trigger_id}")
    @Operation(summary = "A trigger, with its next tick and how its last firing went")
    @APIResponse(responseCode = "200", description = "The trigger")
    @APIResponse(responseCode = "404", description = "No such trigger of yours")
    public Uni<TriggerResponse> get(@PathParam("id") String workflowId, @PathParam("trigger_id") String triggerId) {
        return service.get(user.id(), workflowId, triggerId);
    }

    @PUT
    @Path("/{trigger_id}")
    @Operation(summary = "Replace a trigger's settings", description = "Its kind stays; a schedule's next tick is computed "
            + "again; a webhook keeps its secret unless a new one is given; enabled=false stops it.")
    @APIResponse(responseCode = "200", description = "The trigger as it is now")
    @APIResponse(responseCode = "400", description = "Invalid fields, listed in errors[]")
    @APIResponse(responseCode = "404", description = "No such trigger of yours")
    public Uni<TriggerResponse> replace(@PathParam("id") String workflowId, @PathParam("trigger_id") String triggerId,
            @NotNull TriggerRequest request) {
        return service.replace(callers.current(), workflowId, triggerId, request);
    }

    @DELETE
    @Path("/{trigger_id}")
    @Operation(summary = "Delete a trigger", description = "The runs it started stay.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such trigger of yours")
    public Uni<Void> delete(@PathParam("id") String workflowId, @PathParam("trigger_id") String triggerId) {
        return service.delete(user.id(), workflowId, triggerId);
    }
}
