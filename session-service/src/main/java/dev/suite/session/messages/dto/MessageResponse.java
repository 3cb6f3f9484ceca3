package dev.suite.session.messages.dto;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/**
 * A stored message. {@code acc_token} is the sum of token counts along its branch, itself included.
 * The properties listed as required are never null; the others may be.
 */
@Schema(requiredProperties = {"message_id", "session_id", "role", "content", "acc_token", "created_at", "updated_at"})
@RegisterForReflection
public record MessageResponse(
        String messageId,
        String sessionId,
        String parentId,
        String role,
        String content,
        String thinking,
        JsonNode toolCalls,
        Integer tokenCount,
        long accToken,
        JsonNode ext,
        JsonNode mcpdetail,
        Instant createdAt,
        Instant updatedAt) {

    /** This message where the append rule put it: under {@code parentId}, with its running total. */
    public MessageResponse placed(String parentId, long accToken) {
        return new MessageResponse(messageId, sessionId, parentId, role, content, thinking, toolCalls, tokenCount,
                accToken, ext, mcpdetail, createdAt, updatedAt);
    }
}
