package dev.suite.mcp.feedback;

import dev.suite.commons.identity.SocketTickets;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The user of a feedback or toolbar socket (an authenticated upgrade, or a ticket from
 * {@code POST /api/mcp/feedback/socket-ticket}), remembered on the connection.
 */
@ApplicationScoped
public class SocketUsers {

    static final UserData.TypedKey<String> OWNER = UserData.TypedKey.forString("owner");

    private final SocketTickets tickets;

    public SocketUsers(SocketTickets tickets) {
        this.tickets = tickets;
    }

    /** The connection's user, remembered on it; null when neither the upgrade nor a ticket names one. */
    Uni<String> owner(SecurityIdentity identity, WebSocketConnection connection) {
        return tickets.owner(identity, connection.handshakeRequest().query()).invoke(id -> {
            if (id != null) {
                connection.userData().put(OWNER, id);
            }
        });
    }

    static String ownerOf(WebSocketConnection connection) {
        return connection.userData().get(OWNER);
    }
}
