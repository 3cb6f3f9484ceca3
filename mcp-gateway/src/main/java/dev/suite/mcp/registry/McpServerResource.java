package dev.suite.mcp.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.commons.identity.CurrentUser;
import dev.suite.commons.paging.Page;
import dev.suite.commons.paging.PageRequest;
import dev.suite.commons.patch.ETagged;
import dev.suite.commons.patch.MergePatch;
import dev.suite.commons.problem.Problem;
import dev.suite.mcp.registry.dto.McpServerRequest;
import dev.suite.mcp.registry.dto.McpServerResponse;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;

@Path("/api/mcp/servers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "MCP servers", description = "The caller's registered MCP servers; header and env values are write-only.")
@APIResponse(responseCode = "401", description = "Missing or invalid credentials",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class McpServerResource {

    private final McpServerService service;
    private final CurrentUser user;

    public McpServerResource(McpServerService service, CurrentUser user) {
        this.service = service;
        this.user = user;
    }

    @GET
    @Operation(summary = "List servers, newest first", description = "Keyset-paged: pass next_before as before.")
    @APIResponse(responseCode = "200", description = "A page of servers")
    public Uni<Page<McpServerResponse>> list(
            @Parameter(description = "1–200, default 50") @QueryParam("limit") String limit,
            @Parameter(description = "next_before of the previous page") @QueryParam("before") String before) {
        return service.list(user.id(), PageRequest.of(limit, before));
    }

    @GET
    @Path("/{id}")
    @ETagged
    @Operation(summary = "Get one server")
    @APIResponse(responseCode = "200", description = "The server")
    @APIResponse(responseCode = "404", description = "No such server of yours")
    public Uni<McpServerResponse> get(@PathParam("id") String id) {
        return service.get(user.id(), id);
    }

    @POST
    @ETagged
    @Operation(summary = "Register a server")
    @APIResponse(responseCode = "201", description = "Created; Location names it", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = McpServerResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields, listed in errors[]")
    @APIResponse(responseCode = "409", description = "You already have a server of that name")
    public Uni<Response> create(@NotNull McpServerRequest request) {
        return service.create(user.id(), request)
                .map(created -> Response.created(URI.create("/api/mcp/servers/" + created.serverId()))
                        .entity(created).build());
    }

    @PUT
    @Path("/{id}")
    @ETagged
    @Operation(summary = "Replace a server",
            description = "Full update. Absent headers/env keep the stored values; an explicit null clears them. "
                    + "Fields the server owns (server_id, header_names, env_names, timestamps) are ignored, "
                    + "so a GET's body can be sent back.")
    @APIResponse(responseCode = "200", description = "The updated server; ETag names its new state")
    @APIResponse(responseCode = "404", description = "No such server of yours")
    @APIResponse(responseCode = "409", description = "You already have another server of that name")
    @APIResponse(responseCode = "412", description = "If-Match names an older state of the server")
    public Uni<McpServerResponse> update(@PathParam("id") String id,
            @Parameter(description = "The ETag of the server as you read it") @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @NotNull McpServerRequest request) {
        return service.update(user.id(), id, request, ifMatch);
    }

    @PATCH
    @Path("/{id}")
    @ETagged
    @Consumes({MergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "Change some fields of a server",
            description = "JSON Merge Patch (RFC 7396) of the server as GET shows it: members replace, null removes. "
                    + "headers and env are replaced as a whole: absent keeps them, null clears them. "
                    + "The result is validated as a PUT.")
    @RequestBody(content = {
            @Content(mediaType = MergePatch.MEDIA_TYPE, schema = @Schema(implementation = McpServerRequest.class)),
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = McpServerRequest.class))})
    @APIResponse(responseCode = "200", description = "The updated server; ETag names its new state")
    @APIResponse(responseCode = "400", description = "The patched server has invalid fields, listed in errors[]")
    @APIResponse(responseCode = "404", description = "No such server of yours")
    @APIResponse(responseCode = "409", description = "You already have another server of that name")
    @APIResponse(responseCode = "412", description = "If-Match names an older state of the server")
    public Uni<McpServerResponse> patch(@PathParam("id") String id,
            @Parameter(description = "The ETag of the server as you read it") @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @NotNull JsonNode patch) {
        return service.patch(user.id(), id, patch, ifMatch);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a server", description = "A running stdio process of it is stopped.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such server of yours")
    public Uni<Response> delete(@PathParam("id") String id) {
        return service.delete(user.id(), id).map(ignored -> Response.noContent().build());
    }
}
