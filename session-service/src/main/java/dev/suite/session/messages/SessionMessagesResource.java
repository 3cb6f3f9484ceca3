package dev.suite.session.messages;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.commons.identity.CurrentUser;
import dev.suite.commons.paging.Page;
import dev.suite.commons.problem.Problem;
import dev.suite.commons.calls.Callers;
import dev.suite.session.messages.dto.MessageBatchResponse;
import dev.suite.session.messages.dto.MessageRequest;
import dev.suite.session.messages.dto.MessageResponse;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;

@Path("/api/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Messages")
@APIResponse(responseCode = "401", description = "Missing or invalid credentials",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class SessionMessagesResource {

    private final MessageService service;
    private final CurrentUser user;
    private final Callers callers;

    public SessionMessagesResource(MessageService service, CurrentUser user, Callers callers) {
        this.service = service;
        this.user = user;
        this.callers = callers;
    }

    @GET
    @Path("/{id}/messages")
    @Operation(summary = "A page of a session's messages, in conversation order",
            description = "The newest page first; pass next_before as before for older ones. With leaf, only "
                    + "the branch that ends at that message.")
    @APIResponse(responseCode = "200", description = "A page of messages, oldest first")
    @APIResponse(responseCode = "404", description = "No such session of yours")
    public Uni<Page<MessageResponse>> list(@PathParam("id") String sessionId,
            @Parameter(description = "1–200, default 50") @QueryParam("limit") String limit,
            @Parameter(description = "next_before of the previous page") @QueryParam("before") String before,
            @Parameter(description = "a message id: only its branch") @QueryParam("leaf") String leaf) {
        return service.list(user.id(), sessionId, limit, before, leaf);
    }

    @POST
    @Path("/{id}/messages")
    @Operation(summary = "Append a message, or a batch of them",
            description = "A batch chains each message to the one before it unless it names a parent_id. A "
                    + "message_id already stored in this session returns the stored message (200).")
    @RequestBody(required = true, description = "One message, or a batch: an array of them", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(oneOf = {MessageRequest.class, MessageRequest[].class})))
    @APIResponse(responseCode = "201", description = "Stored: the message, or {items} for a batch", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(oneOf = {MessageResponse.class, MessageBatchResponse.class})))
    @APIResponse(responseCode = "200", description = "Every message_id was already stored: the stored message, or {items} "
            + "for a batch", content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(oneOf = {MessageResponse.class, MessageBatchResponse.class})))
    @APIResponse(responseCode = "404", description = "No such session of yours")
    @APIResponse(responseCode = "409", description = "A message_id is taken by another session")
    @APIResponse(responseCode = "413", description = "A field or the batch is over its limit")
    public Uni<Response> append(@PathParam("id") String sessionId, JsonNode body) {
        var requests = service.parse(body);
        return service.append(callers.current(), sessionId, requests).map(appended -> {
            Object entity = body.isArray() ? new MessageBatchResponse(appended.messages()) : appended.messages().get(0);
            Response.ResponseBuilder response = appended.created().isEmpty() ? Response.ok()
                    : Response.status(Response.Status.CREATED);
            if (!body.isArray()) {
                response.location(URI.create("/api/messages/" + appended.messages().get(0).messageId()));
            }
            return response.entity(entity).build();
        });
    }
}
