package dev.suite.task.schedules;

import dev.suite.commons.identity.CurrentUser;
import dev.suite.commons.paging.Page;
import dev.suite.commons.problem.Problem;
import dev.suite.task.schedules.dto.ScheduleRequest;
import dev.suite.task.schedules.dto.ScheduleResponse;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;

@Path("/api/v1/schedules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Schedules", description = "Recurring tasks: a task created at each tick of a cron expression, in a time zone.")
@APIResponse(responseCode = "401", description = "Missing or invalid credentials",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class ScheduleResource {

    private final ScheduleService service;
    private final CurrentUser user;

    public ScheduleResource(ScheduleService service, CurrentUser user) {
        this.service = service;
        this.user = user;
    }

    @POST
    @Operation(summary = "Create a schedule", description = "Each tick creates the task of its template; the tasks "
            + "are listed by GET /api/v1/tasks?schedule_id=…")
    @APIResponse(responseCode = "201", description = "Created, with next_run_at",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScheduleResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields (the template's named task.…), listed in errors[]")
    @APIResponse(responseCode = "409", description = "The name is taken, or you have the most schedules allowed")
    public Uni<Response> create(@NotNull ScheduleRequest request) {
        return service.create(user.id(), request).map(s -> Response.created(URI.create("/api/v1/schedules/" + s.scheduleId()))
                .entity(s).build());
    }

    @GET
    @Operation(summary = "List your schedules, newest first")
    @APIResponse(responseCode = "200", description = "A page of your schedules")
    public Uni<Page<ScheduleResponse>> list(@QueryParam("limit") String limit, @QueryParam("before") String before) {
        return service.list(user.id(), limit, before);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A schedule, with its next tick and how its last ones went")
    @APIResponse(responseCode = "200", description = "The schedule")
    @APIResponse(responseCode = "404", description = "No such schedule of yours")
    public Uni<ScheduleResponse> get(@PathParam("id") String id) {
        return service.get(user.id(), id);
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Replace a schedule", description = "Its next tick is computed again from now; enabled=false "
            + "stops it (next_run_at null) and true starts it again. Run counters stay.")
    @APIResponse(responseCode = "200", description = "The updated schedule")
    @APIResponse(responseCode = "400", description = "Invalid fields, listed in errors[]")
    @APIResponse(responseCode = "404", description = "No such schedule of yours")
    @APIResponse(responseCode = "409", description = "The name is taken")
    public Uni<ScheduleResponse> replace(@PathParam("id") String id, @NotNull ScheduleRequest request) {
        return service.replace(user.id(), id, request);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a schedule", description = "Tasks it created stay.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such schedule of yours")
    public Uni<Void> delete(@PathParam("id") String id) {
        return service.delete(user.id(), id);
    }
}
