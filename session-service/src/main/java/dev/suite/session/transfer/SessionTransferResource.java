package dev.suite.session.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.commons.identity.CurrentUser;
import dev.suite.commons.problem.Problem;
import dev.suite.session.sessions.dto.SessionResponse;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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

@Path("/api/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sessions")
@APIResponse(responseCode = "401", description = "Missing or invalid credentials",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class SessionTransferResource {

    private final SessionTransfer transfer;
    private final CurrentUser user;

    public SessionTransferResource(SessionTransfer transfer, CurrentUser user) {
        this.transfer = transfer;
        this.user = user;
    }

    @GET
    @Path("/{id}/export")
    @Operation(summary = "Export a session with its messages and summaries as one JSON document")
    @APIResponse(responseCode = "200", description = "The document (format suite.session.v1)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SessionExport.class)))
    @APIResponse(responseCode = "404", description = "No such session of yours")
    public Uni<Response> export(@PathParam("id") String id) {
        return transfer.export(user.id(), id).map(doc -> Response.ok(doc)
                .header("Content-Disposition", "attachment; filename=\"session-" + id + ".json\"").build());
    }

    @POST
    @Path("/import")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Import an exported session as a new session of yours",
            description = "New ids throughout; branches, times and summaries are kept. All or nothing.")
    @APIResponse(responseCode = "201", description = "The new session; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SessionResponse.class)))
    @APIResponse(responseCode = "400", description = "Not a valid export document, listed in errors[]")
    @APIResponse(responseCode = "413", description = "Too many messages, or a field over its limit")
    public Uni<Response> importSession(@Schema(implementation = SessionExport.class) JsonNode document) {
        return transfer.importSession(user.id(), document).map(created -> Response
                .created(URI.create("/api/sessions/" + created.sessionId())).entity(created).build());
    }
}
