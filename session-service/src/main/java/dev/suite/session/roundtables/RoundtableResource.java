package dev.suite.session.roundtables;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.core.Context;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.commons.identity.CurrentUser;
import dev.suite.commons.paging.Page;
import dev.suite.commons.patch.ETagged;
import dev.suite.commons.patch.MergePatch;
import dev.suite.commons.problem.Problem;
import dev.suite.commons.calls.Callers;
import dev.suite.session.roundtables.dto.RoundtableMessage;
import dev.suite.session.roundtables.dto.RoundtableRequest;
import dev.suite.session.roundtables.dto.RoundtableResponse;
import io.quarkus.runtime.annotations.RegisterForReflection;
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

@Path("/api/roundtables")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Roundtables", description = "Discussions between several LLM participants over one transcript.")
@APIResponse(responseCode = "401", description = "Missing or invalid credentials",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class RoundtableResource {

    /** The body of {@code POST …/messages}. */
    @RegisterForReflection
    public static class UserMessage {
        @Schema(required = true, description = "Not blank")
        public String content;
    }

    private final RoundtableService service;
    private final CurrentUser user;
    private final Callers callers;
    private final TurnStream turns;

    public RoundtableResource(RoundtableService service, CurrentUser user, Callers callers, TurnStream turns) {
        this.service = service;
        this.user = user;
        this.callers = callers;
        this.turns = turns;
    }

    @GET
    @Operation(summary = "List roundtables, newest first")
    @APIResponse(responseCode = "200", description = "A page of roundtables")
    public Uni<Page<RoundtableResponse>> list(@Parameter(description = "1–200, default 50") @QueryParam("limit") String limit,
            @Parameter(description = "next_before of the previous page") @QueryParam("before") String before) {
        return service.list(user.id(), limit, before);
    }

    @POST
    @ETagged
    @Operation(summary = "Create a roundtable")
    @APIResponse(responseCode = "201", description = "Created; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RoundtableResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields, listed in errors[]")
    public Uni<Response> create(@NotNull RoundtableRequest request) {
        return service.create(user.id(), request).map(created -> Response
                .created(URI.create("/api/roundtables/" + created.roundtableId())).entity(created).build());
    }

    @GET
    @Path("/{id}")
    @ETagged
    @Operation(summary = "Get one roundtable, with whether a discussion is running")
    @APIResponse(responseCode = "200", description = "The roundtable")
    @APIResponse(responseCode = "404", description = "No such roundtable of yours")
    public Uni<RoundtableResponse> get(@PathParam("id") String id) {
        return service.get(user.id(), id);
    }

    @PUT
    @Path("/{id}")
    @ETagged
    @Operation(summary = "Replace a roundtable",
            description = "Full update: absent fields take their defaults, as on create. A participant keeps its "
                    + "participant_id while it keeps its name. Fields the server owns (ids, status, stop_reason, "
                    + "timestamps) are ignored, so a GET's body can be sent back. While a discussion runs only the "
                    + "title can change.")
    @APIResponse(responseCode = "200", description = "The updated roundtable; ETag names its new state")
    @APIResponse(responseCode = "400", description = "Invalid fields, listed in errors[]")
    @APIResponse(responseCode = "404", description = "No such roundtable of yours")
    @APIResponse(responseCode = "409", description = "A discussion is running and the change is more than the title")
    @APIResponse(responseCode = "412", description = "If-Match names an older state of the roundtable")
    public Uni<RoundtableResponse> update(@PathParam("id") String id,
            @Parameter(description = "The ETag of the roundtable as you read it") @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @NotNull RoundtableRequest request) {
        return service.update(user.id(), id, request, ifMatch);
    }

    @PATCH
    @Path("/{id}")
    @ETagged
    @Consumes({MergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "Change some fields of a roundtable",
            description = "JSON Merge Patch (RFC 7396) of the roundtable as GET shows it: members replace, null "
                    + "removes (back to the default), participants are replaced as a whole list. The result is "
                    + "validated as a PUT. While a discussion runs only the title can change.")
    @RequestBody(content = {
            @Content(mediaType = MergePatch.MEDIA_TYPE, schema = @Schema(implementation = RoundtableRequest.class)),
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RoundtableRequest.class))})
    @APIResponse(responseCode = "200", description = "The updated roundtable; ETag names its new state")
    @APIResponse(responseCode = "400", description = "The patched roundtable has invalid fields, listed in errors[]")
    @APIResponse(responseCode = "404", description = "No such roundtable of yours")
    @APIResponse(responseCode = "409", description = "A discussion is running and the change is more than the title")
    @APIResponse(responseCode = "412", description = "If-Match names an older state of the roundtable")
    public Uni<RoundtableResponse> patch(@PathParam("id") String id,
            @Parameter(description = "The ETag of the roundtable as you read it") @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @NotNull JsonNode patch) {
        return service.patch(user.id(), id, patch, ifMatch);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a roundtable with its messages (a running discussion is stopped)")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such roundtable of yours")
    public Uni<Response> delete(@PathParam("id") String id) {
        return service.delete(user.id(), id).map(ignored -> Response.noContent().build());
    }

    @POST
    @Path("/{id}/messages")
    @Operation(summary = "Say something: starts a discussion", description = "Stores the message and starts the "
            + "participants' turns; follow them on /ws/sessions (roundtable_ids), page the messages, or post with "
            + "Accept: text/event-stream to have them streamed in the answer.")
    @APIResponse(responseCode = "202", description = "The stored user message; the discussion is running",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RoundtableMessage.class)))
    @APIResponse(responseCode = "404", description = "No such roundtable of yours")
    @APIResponse(responseCode = "409", description = "A discussion is already running")
    public Uni<Response> post(@PathParam("id") String id, @NotNull UserMessage body) {
        return service.post(callers.current(), id, body.content)
                .map(message -> Response.accepted(message).build());
    }

    @POST
    @Path("/{id}/messages")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @Operation(summary = "Say something and follow the turns it starts",
            description = "With Accept: text/event-stream. Each server-sent event is one of the roundtable's events "
                    + "(event: its type, id: its id when it is replayable on /ws/sessions, data: the CloudEvent): "
                    + "the user's message, roundtable.started, each turn's roundtable.turn.started, "
                    + "roundtable.turn.delta and roundtable.message.created, and last roundtable.stopped, after "
                    + "which the stream ends. A comment every 15 s keeps it open. Leaving early does not stop the "
                    + "discussion.")
    @APIResponse(responseCode = "200", description = "The discussion's events as it runs",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "No such roundtable of yours")
    @APIResponse(responseCode = "409", description = "A discussion is already running")
    public Multi<OutboundSseEvent> postAndFollow(@PathParam("id") String id, @NotNull UserMessage body, @Context Sse sse) {
        return turns.post(callers.current(), id, body.content).map(event -> event.type() == null
                ? sse.newEventBuilder().comment("keep-alive").build()
                : sse.newEventBuilder().name(event.type()).id(event.id()).mediaType(MediaType.TEXT_PLAIN_TYPE)
                        .data(event.json()).build());
    }

    @GET
    @Path("/{id}/messages")
    @Operation(summary = "A page of the transcript, in conversation order", description = "Newest page first; "
            + "pass next_before as before for older ones.")
    @APIResponse(responseCode = "200", description = "A page of the transcript, oldest first")
    @APIResponse(responseCode = "404", description = "No such roundtable of yours")
    public Uni<Page<RoundtableMessage>> messages(@PathParam("id") String id,
            @Parameter(description = "1–200, default 50") @QueryParam("limit") String limit,
            @Parameter(description = "next_before of the previous page") @QueryParam("before") String before) {
        return service.messages(user.id(), id, limit, before);
    }

    @POST
    @Path("/{id}/stop")
    @Operation(summary = "Stop the running discussion", description = "The current turn ends with what it has "
            + "streamed; no further turn starts. Works from any replica.")
    @APIResponse(responseCode = "200", description = "The roundtable")
    @APIResponse(responseCode = "404", description = "No such roundtable of yours")
    public Uni<RoundtableResponse> stop(@PathParam("id") String id) {
        return service.stop(user.id(), id);
    }
}
