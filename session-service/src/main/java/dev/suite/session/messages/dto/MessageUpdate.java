package dev.suite.session.messages.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Min;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Optional;

/**
 * The editable fields of a stored message (a streamed answer being completed, a corrected count).
 * Absent keeps a field, {@code null} clears it. Role and parent do not change: an edit that
 * should branch is a new message with the same parent. So they, and the fields the server owns
 * (ids, acc_token, times), are accepted and ignored: a client can send back what it read.
 */
@Schema(name = "MessageUpdate")
@JsonIgnoreProperties({"message_id", "session_id", "parent_id", "role", "acc_token", "created_at", "updated_at"})
@RegisterForReflection
public class MessageUpdate {

    @Schema(implementation = String.class)
    public Optional<String> content;

    @Schema(implementation = String.class)
    public Optional<String> thinking;

    @Schema(implementation = Object.class)
    public Optional<JsonNode> toolCalls;

    @Schema(implementation = Integer.class)
    public Optional<@Min(0) Integer> tokenCount;

    @Schema(implementation = Object.class)
    public Optional<JsonNode> ext;

    @Schema(implementation = Object.class)
    public Optional<JsonNode> mcpdetail;
}
