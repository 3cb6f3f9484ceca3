package dev.suite.task.events;

import dev.suite.commons.identity.CurrentUser;
import dev.suite.commons.identity.SocketTicket;
import dev.suite.commons.identity.SocketTickets;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Browsers cannot set headers on a WebSocket upgrade: they open {@code /ws/tasks?ticket=…} instead. */
@Path("/api/v1/tasks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Tasks")
public class SocketTicketResource {

    private final SocketTickets tickets;
    private final CurrentUser user;

    public SocketTicketResource(SocketTickets tickets, CurrentUser user) {
        this.tickets = tickets;
        this.user = user;
    }

    @POST
    @Path("/socket-ticket")
    @Operation(summary = "A single-use ticket to open /ws/tasks from a browser",
            description = "Valid a minute, on any replica: open /ws/tasks?ticket=…")
    public Uni<SocketTicket> issue() {
        return tickets.issue(user.id()).map(SocketTicket::of);
    }
}
