package dev.suite.session.messages;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.commons.identity.CurrentUser;
import dev.suite.commons.paging.Page;
import dev.suite.commons.patch.ETagged;
import dev.suite.commons.patch.MergePatch;
import dev.suite.commons.problem.Problem;
import dev.suite.session.messages.dto.MessageResponse;
import dev.suite.session.messages.dto.MessageUpdate;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
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


@Path("/api/messages")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Messages", description = "Messages of the caller's sessions: branches, edits, search.")
@APIResponse(responseCode = "401", description = "Missing or invalid credentials",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class MessageResource {

    private final MessageService service;
    private final CurrentUser user;

    public MessageResource(MessageService service, CurrentUser user) {
        this.service = service;
        this.user = user;
    }

    @GET
    @Path("/search")
    @Operation(summary = "Full-text search over your messages, newest first", description = "Every word must "
            + "appear, as a word or a word's beginning. Words under 3 letters and common stopwords are ignored.")
    @APIResponse(responseCode = "200", description = "{items: [{message, session_title}], next_before}")
    public Uni<Page<MessageStore.Hit>> search(@QueryParam("q") String q,
            @Parameter(description = "1–200, default 50") @QueryParam("limit") String limit,
            @Parameter(description = "next_before of the previous page") @QueryParam("before") String before) {
        return service.search(user.id(), q, limit, before);
    }

    @GET
    @Path("/{id}")
    @ETagged
    @Operation(summary = "Get one message")
    @APIResponse(responseCode = "200", description = "The message")
    @APIResponse(responseCode = "404", description = "No such message of yours")
    public Uni<MessageResponse> get(@PathParam("id") String id) {
        return service.get(user.id(), id);
    }

    @PUT
    @Path("/{id}")
    @ETagged
    @Operation(summary = "Edit a message", description = "Fields absent keep their value; null clears one. "
            + "A new token_count shifts acc_token along every branch below the message. Fields the server owns or "
            + "that never change (message_id, session_id, parent_id, role, acc_token, timestamps) are ignored, "
            + "so a GET's body can be sent back.")
    @APIResponse(responseCode = "200", description = "The updated message; ETag names its new state")
    @APIResponse(responseCode = "400", description = "Invalid fields, listed in errors[]")
    @APIResponse(responseCode = "404", description = "No such message of yours")
    @APIResponse(responseCode = "412", description = "If-Match names an older state of the message")
    @APIResponse(responseCode = "413", description = "A field is over its limit")
    public Uni<MessageResponse> update(@PathParam("id") String id,
            @Parameter(description = "The ETag of the message as you read it") @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @NotNull MessageUpdate update) {
        return service.update(user.id(), id, update, ifMatch);
    }

    @PATCH
    @Path("/{id}")
    @ETagged
    @Consumes({MergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "Change some fields of a message",
            description = "JSON Merge Patch (RFC 7396) of the message as GET shows it: members replace, objects "
                    + "(ext, mcpdetail) merge member by member, null clears. The result is validated as a PUT.")
    @RequestBody(content = {
            @Content(mediaType = MergePatch.MEDIA_TYPE, schema = @Schema(implementation = MessageUpdate.class)),
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MessageUpdate.class))})
    @APIResponse(responseCode = "200", description = "The updated message; ETag names its new state")
    @APIResponse(responseCode = "400", description = "The patched message has invalid fields, listed in errors[]")
    @APIResponse(responseCode = "404", description = "No such message of yours")
    @APIResponse(responseCode = "412", description = "If-Match names an older state of the message")
    @APIResponse(responseCode = "413", description = "A field is over its limit")
    public Uni<MessageResponse> patch(@PathParam("id") String id,
            @Parameter(description = "The ETag of the message as you read it") @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @NotNull JsonNode patch) {
        return service.patch(user.id(), id, patch, ifMatch);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a message", description = "Its children move to its parent.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such message of yours")
    public Uni<Response> delete(@PathParam("id") String id) {
        return service.delete(user.id(), id).map(ignored -> Response.noContent().build());
    }
}
