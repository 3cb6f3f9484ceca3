package dev.suite.session.messages.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.session.messages.Role;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;

import java.time.Instant;
import java.util.Optional;

/**
 * A message to append. {@code parent_id} has three states: absent (continue after the session's
 * newest message), {@code null} (a new root) or a message of the session (a sibling of its other
 * children: a regenerated or edited turn). The fields a message's GET adds (its session, acc_token,
 * times) are the server's: accepted and ignored, so a client can send back what it read.
 */
@Schema(name = "MessageRequest", properties = {
        @SchemaProperty(name = "session_id", type = SchemaType.STRING, readOnly = true,
                description = MessageRequest.SERVERS),
        @SchemaProperty(name = "acc_token", type = SchemaType.INTEGER, format = "int64", readOnly = true,
                description = MessageRequest.SERVERS),
        @SchemaProperty(name = "created_at", implementation = Instant.class, readOnly = true,
                description = MessageRequest.SERVERS),
        @SchemaProperty(name = "updated_at", implementation = Instant.class, readOnly = true,
                description = MessageRequest.SERVERS)})
@JsonIgnoreProperties({"session_id", "acc_token", "created_at", "updated_at"})
@RegisterForReflection
public class MessageRequest {

    /** What the document says of the server-owned fields a client may send back. */
    static final String SERVERS = "The server's: accepted and ignored in request bodies.";

    public static final String ID_PATTERN = "[A-Za-z0-9._:-]{1,64}";

    @Pattern(regexp = ID_PATTERN, message = "must be 1–64 letters, digits or . _ : -")
    @Schema(description = "Optional, chosen by the client: posting the same message_id again returns the stored message.")
    public String messageId;

    @Schema(implementation = String.class, nullable = true,
            description = "Absent: after the session's newest message. null: a new root. An id: a child of that message.")
    public Optional<String> parentId;

    @NotNull
    @Pattern(regexp = Role.PATTERN, message = "must be user, assistant, system or tool")
    @Schema(required = true, enumeration = {"user", "assistant", "system", "tool"})
    public String role;

    @Schema(description = "Text of the message; null is stored as an empty string.")
    public String content;

    public String thinking;

    @Schema(description = "OpenAI tool calls: [{id, type: function, function: {name, arguments}, server_id}]")
    public JsonNode toolCalls;

    @Min(0)
    public Integer tokenCount;

    @Schema(description = "Free-form JSON object")
    public JsonNode ext;

    @Schema(description = "Free-form JSON object: the MCP details of a tool message")
    public JsonNode mcpdetail;
}
