package dev.suite.session.realtime;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A single-use ticket to open {@code /ws/sessions?ticket=…} from a browser. */
@RegisterForReflection
public record SocketTicket(
        @Schema(required = true) String ticket,
        @Schema(required = true, description = "Seconds the ticket stays valid") long expiresIn) {
}
