package dev.suite.mcp.proxy;

import dev.suite.commons.crypto.SecretBox;
import dev.suite.commons.crypto.SecretUnreadableException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Downstream {@code Mcp-Session-Id}s. The gateway keeps no session table: the id a client gets is
 * the session itself, sealed with the master key and bound to the user — which server (or the
 * aggregate), the protocol version, and the upstream's own session id. Any replica can therefore
 * continue any session, and a client cannot read, forge or reuse another user's session.
 */
@ApplicationScoped
public class SessionTokens {

    /** What a session id stands for; {@code upstreamSession} is null for sessions the gateway answers itself. */
    public record Session(String target, String protocolVersion, String upstreamSession) {
    }

    private final SecretBox box;

    public SessionTokens(SecretBox box) {
        this.box = box;
    }

    public String issue(String ownerId, Session session) {
        JsonObject claims = new JsonObject().put("t", session.target()).put("v", session.protocolVersion());
        if (session.upstreamSession() != null) {
            claims.put("u", session.upstreamSession());
        }
        return box.seal(claims.encode(), context(ownerId));
    }

    /** The session, or null when the id is not one this user was given (expired keys, another user, garbage). */
    public Session open(String ownerId, String token) {
        if (token == null || token.isEmpty() || token.length() > 4096) {
            return null;
        }
        try {
            JsonObject claims = new JsonObject(box.open(token, context(ownerId)));
            return new Session(claims.getString("t"), claims.getString("v"), claims.getString("u"));
        } catch (SecretUnreadableException | DecodeException | IllegalArgumentException | ClassCastException e) {
            return null;
        }
    }

    private static String context(String ownerId) {
        return "mcp-session:" + ownerId;
    }
}
