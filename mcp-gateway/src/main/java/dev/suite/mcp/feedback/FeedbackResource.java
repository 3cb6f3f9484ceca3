package dev.suite.mcp.feedback;

import dev.suite.commons.identity.CurrentUser;
import dev.suite.commons.identity.SocketTicket;
import dev.suite.commons.identity.SocketTickets;
import dev.suite.commons.paging.Page;
import dev.suite.commons.paging.PageRequest;
import dev.suite.commons.problem.Problem;
import dev.suite.commons.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's feedback requests (opened by agents through collect_feedback) and their answers. */
@Path("/api/mcp/feedback")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "MCP feedback", description = "Requests agents made through the built-in collect_feedback tool.")
@APIResponse(responseCode = "404", description = "No such request of yours",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class FeedbackResource {

    private final FeedbackService feedback;
    private final SocketTickets tickets;
    private final CurrentUser user;

    public FeedbackResource(FeedbackService feedback, SocketTickets tickets, CurrentUser user) {
        this.feedback = feedback;
        this.tickets = tickets;
        this.user = user;
    }

    @GET
    @Operation(summary = "List requests, newest first", description = "Keyset-paged; status pending, answered or timed_out.")
    @APIResponse(responseCode = "200", description = "A page of your requests")
    public Uni<Page<Feedback>> list(@QueryParam("status") String status, @QueryParam("limit") String limit,
            @QueryParam("before") String before) {
        return feedback.list(user.id(), status, PageRequest.of(limit, before));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One request, with the answer's images (base64)")
    @APIResponse(responseCode = "200", description = "The request")
    public Uni<Feedback> get(@PathParam("id") String id) {
        return feedback.get(user.id(), id);
    }

    @POST
    @Path("/socket-ticket")
    @Operation(summary = "A single-use ticket for /ws/feedback or /ws/toolbar",
            description = "For browsers, which cannot authenticate a WebSocket upgrade: open the socket with "
                    + "?ticket=<ticket> within expires_in seconds.")
    @APIResponse(responseCode = "200", description = "The ticket", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SocketTicket.class)))
    public Uni<JsonObject> ticket() {
        return tickets.issue(user.id()).map(ticket -> new JsonObject().put("ticket", ticket)
                .put("expires_in", SocketTickets.TTL.toSeconds()));
    }

    @POST
    @Path("/{id}/answer")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Answer a pending request", description = "Body: {text, images: [{mime_type, data}]} with "
            + "PNG, JPEG, GIF or WebP images in base64. The waiting agent gets the answer at once, on whichever "
            + "replica its call runs.")
    @APIResponse(responseCode = "200", description = "The answered request")
    @APIResponse(responseCode = "400", description = "Neither text nor image, or malformed images")
    @APIResponse(responseCode = "409", description = "The request was already answered or timed out")
    @APIResponse(responseCode = "413", description = "An image is larger than allowed")
    @APIResponse(responseCode = "415", description = "An image is not PNG, JPEG, GIF or WebP")
    public Uni<Feedback> answer(@PathParam("id") String id, @NotNull JsonObject body) {
        Object text = body.getValue("text");
        Object images = body.getValue("images");
        if (text != null && !(text instanceof String)) {
            return Uni.createFrom().failure(ProblemException.invalidField("text", "must be a string"));
        }
        if (images != null && !(images instanceof JsonArray)) {
            return Uni.createFrom().failure(ProblemException.invalidField("images", "must be an array"));
        }
        return feedback.answer(user.id(), id, (String) text, (JsonArray) images);
    }
}
