package dev.suite.commons.identity;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer of a socket-ticket route: a single-use ticket to open a live socket from a browser. */
@Schema(name = "SocketTicket")
@RegisterForReflection
public record SocketTicket(
        @Schema(required = true, description = "Open the socket with ?ticket=… (single use)") String ticket,
        @Schema(required = true, description = "Seconds the ticket stays valid", example = "60") long expiresIn) {

    public static SocketTicket of(String ticket) {
        return new SocketTicket(ticket, SocketTickets.TTL.toSeconds());
    }
}
