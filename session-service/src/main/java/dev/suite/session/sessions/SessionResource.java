package dev.suite.session.sessions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.commons.identity.CurrentUser;
import dev.suite.commons.paging.Page;
import dev.suite.commons.patch.ETagged;
import dev.suite.commons.patch.MergePatch;
import dev.suite.commons.problem.Problem;
import dev.suite.session.sessions.dto.SessionRequest;
import dev.suite.session.sessions.dto.SessionResponse;
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

@Path("/api/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Sessions", description = "The caller's chat sessions.")
@APIResponse(responseCode = "401", description = "Missing or invalid credentials",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class SessionResource {

    private final SessionService service;
    private final CurrentUser user;

    public SessionResource(SessionService service, CurrentUser user) {
        this.service = service;
        this.user = user;
    }

    @GET
    @Operation(summary = "List sessions, newest-updated first", description = "Keyset-paged: pass next_before as before.")
    @APIResponse(responseCode = "200", description = "A page of sessions")
    public Uni<Page<SessionResponse>> list(
            @Parameter(description = "1–200, default 50") @QueryParam("limit") String limit,
            @Parameter(description = "next_before of the previous page") @QueryParam("before") String before,
            @Parameter(description = "only this type") @QueryParam("session_type") String type) {
        return service.list(user.id(), limit, before, type);
    }

    @GET
    @Path("/{id}")
    @ETagged
    @Operation(summary = "Get one session")
    @APIResponse(responseCode = "200", description = "The session")
    @APIResponse(responseCode = "404", description = "No such session of yours")
    public Uni<SessionResponse> get(@PathParam("id") String id) {
        return service.get(user.id(), id);
    }

    @POST
    @ETagged
    @Operation(summary = "Create a session")
    @APIResponse(responseCode = "201", description = "Created; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SessionResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields, listed in errors[]")
    public Uni<Response> create(@NotNull SessionRequest request) {
        return service.create(user.id(), request)
                .map(created -> Response.created(URI.create("/api/sessions/" + created.sessionId()))
                        .entity(created).build());
    }

    @PUT
    @Path("/{id}")
    @ETagged
    @Operation(summary = "Update a session", description = "Fields absent keep their value; null clears one. "
            + "Fields the server owns (session_id, expires_at, timestamps) are ignored, so a GET's body can be sent back.")
    @APIResponse(responseCode = "200", description = "The updated session; ETag names its new state")
    @APIResponse(responseCode = "400", description = "Invalid fields, listed in errors[]")
    @APIResponse(responseCode = "404", description = "No such session of yours")
    @APIResponse(responseCode = "412", description = "If-Match names an older state of the session")
    public Uni<SessionResponse> update(@PathParam("id") String id,
            @Parameter(description = "The ETag of the session as you read it") @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @NotNull SessionRequest request) {
        return service.update(user.id(), id, request, ifMatch);
    }

    @PATCH
    @Path("/{id}")
    @ETagged
    @Consumes({MergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "Change some fields of a session",
            description = "JSON Merge Patch (RFC 7396) of the session as GET shows it: members replace, null clears. "
                    + "The result is validated as a PUT.")
    @RequestBody(content = {
            @Content(mediaType = MergePatch.MEDIA_TYPE, schema = @Schema(implementation = SessionRequest.class)),
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SessionRequest.class))})
    @APIResponse(responseCode = "200", description = "The updated session; ETag names its new state")
    @APIResponse(responseCode = "400", description = "The patched session has invalid fields, listed in errors[]")
    @APIResponse(responseCode = "404", description = "No such session of yours")
    @APIResponse(responseCode = "412", description = "If-Match names an older state of the session")
    public Uni<SessionResponse> patch(@PathParam("id") String id,
            @Parameter(description = "The ETag of the session as you read it") @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @NotNull JsonNode patch) {
        return service.patch(user.id(), id, patch, ifMatch);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a session with its messages and summaries")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such session of yours")
    public Uni<Response> delete(@PathParam("id") String id) {
        return service.delete(user.id(), id).map(ignored -> Response.noContent().build());
    }
}
