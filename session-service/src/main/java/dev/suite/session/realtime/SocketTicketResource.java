package dev.suite.session.realtime;

import dev.suite.commons.identity.CurrentUser;
import dev.suite.commons.identity.SocketTickets;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Map;

@Path("/api/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sessions")
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
    public Uni<Map<String, Object>> issue() {
        return tickets.issue(user.id()).map(ticket -> Map.of("ticket", ticket, "expires_in", SocketTickets.TTL.toSeconds()));
    }
}
