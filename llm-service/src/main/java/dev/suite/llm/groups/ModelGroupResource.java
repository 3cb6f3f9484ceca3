package dev.suite.llm.groups;

import dev.suite.commons.identity.CurrentUser;
import dev.suite.commons.problem.Problem;
import dev.suite.llm.groups.dto.ModelGroupRequest;
import dev.suite.llm.groups.dto.ModelGroupResponse;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
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

@Path("/api/llm/groups")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Model groups", description = "Names that spread calls over several of the caller's configs, with cooldowns.")
@APIResponse(responseCode = "401", description = "Missing or invalid credentials",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class ModelGroupResource {

    private final ModelGroupService service;
    private final CurrentUser user;

    public ModelGroupResource(ModelGroupService service, CurrentUser user) {
        this.service = service;
        this.user = user;
    }

    @GET
    @Operation(summary = "List your model groups, by name")
    @APIResponse(responseCode = "200", description = "The groups")
    public Uni<List<ModelGroupResponse>> list() {
        return service.list(user.id());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get one model group")
    @APIResponse(responseCode = "200", description = "The group")
    @APIResponse(responseCode = "404", description = "No such group of yours")
    public Uni<ModelGroupResponse> get(@PathParam("id") String id) {
        return service.get(user.id(), id);
    }

    @POST
    @Operation(summary = "Create a model group", description = "Its name is what a client puts in model on every "
            + "/v1 route; a config of the same name is chosen before it.")
    @APIResponse(responseCode = "201", description = "Created; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ModelGroupResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields (a member that is not your config), listed in errors[]")
    @APIResponse(responseCode = "409", description = "You already have a group of that name")
    public Uni<Response> create(@NotNull @Valid ModelGroupRequest request) {
        return service.create(user.id(), request)
                .map(created -> Response.created(URI.create("/api/llm/groups/" + created.groupId())).entity(created).build());
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Replace a model group")
    @APIResponse(responseCode = "200", description = "The updated group")
    @APIResponse(responseCode = "404", description = "No such group of yours")
    @APIResponse(responseCode = "409", description = "You already have another group of that name")
    public Uni<ModelGroupResponse> update(@PathParam("id") String id, @NotNull @Valid ModelGroupRequest request) {
        return service.update(user.id(), id, request);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a model group")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such group of yours")
    public Uni<Response> delete(@PathParam("id") String id) {
        return service.delete(user.id(), id).map(ignored -> Response.noContent().build());
    }
}
