package dev.suite.mcp.feedback;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;

/**
 * {@code /ws/feedback}: a feedback page's live view. On connect it gets the user's pending
 * requests (so a page that reconnects sees them again); then each request opened, answered or
 * timed out, on whichever replica. Answers are posted to the REST route, which checks them.
 */
@WebSocket(path = "/ws/feedback")
public class FeedbackSocket {

    @Inject
    SecurityIdentity identity;
    @Inject
    FeedbackPages pages;
    @Inject
    FeedbackStore store;

    @Inject
    SocketUsers users;

    @OnOpen
    public Uni<Void> open(WebSocketConnection connection) {
        return users.owner(identity, connection).chain(ownerId -> {
            if (ownerId == null) {
                return connection.close(new CloseReason(1008,
                        "authenticate the upgrade, or open with ?ticket= from POST /api/mcp/feedback/socket-ticket"));
            }
            pages.add(ownerId, connection);
            return store.list(ownerId, Feedback.PENDING, null, 200).chain(pending -> connection.sendText(new JsonObject()
                    .put("type", "pending").put("items", new JsonArray(pending.stream()
                            .map(FeedbackSocket::view).toList())).encode()));
        });
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        String ownerId = SocketUsers.ownerOf(connection);
        if (ownerId != null) {
            pages.remove(ownerId, connection);
        }
    }

    /** Pages only listen; a "ping" gets a "pong" so they can tell a dead connection. */
    @OnTextMessage
    public String message(String text) {
        return new JsonObject().put("type", "pong").encode();
    }

    static JsonObject view(Feedback feedback) {
        return new JsonObject().put("feedback_id", feedback.feedbackId()).put("summary", feedback.summary())
                .put("status", feedback.status()).put("created_at", feedback.createdAt().toString())
                .put("expires_at", feedback.expiresAt().toString());
    }
}
