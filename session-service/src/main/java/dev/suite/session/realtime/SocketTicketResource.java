package dev.suite.session.realtime;

import dev.suite.commons.identity.CurrentUser;
import dev.suite.commons.identity.SocketTicket;
import dev.suite.commons.identity.SocketTickets;
import dev.suite.commons.problem.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sessions")
@APIResponse(responseCode = "401", description = "Missing or invalid credentials",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class SocketTicketResource {

    private final SocketTickets tickets;
    private final CurrentUser user;

    public SocketTicketResource(SocketTickets tickets, CurrentUser user) {
        this.tickets = tickets;
        this.user = user;
    }

    @POST
    @Path("/socket-ticket")
    @Operation(summary = "A single-use ticket to open /ws/sessions from a browser",
            description = "Valid a minute, on any replica: open /ws/sessions?ticket=…")
    @APIResponse(responseCode = "200", description = "The ticket")
    public Uni<SocketTicket> issue() {
        return tickets.issue(user.id()).map(SocketTicket::of);
    }
}
