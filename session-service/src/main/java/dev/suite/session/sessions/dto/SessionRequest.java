package dev.suite.session.sessions.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.suite.session.sessions.SessionType;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Optional;

/**
 * The body of create and update. On update every field has three states: absent (keep), {@code null}
 * (clear) or a value (set) — hence fields that stay {@code null} when absent and hold an empty
 * Optional for an explicit {@code null}. {@code session_type} is required on create and cannot be
 * cleared. The fields a session's GET adds (its id, expiry, times) are the server's: accepted and
 * ignored, so a client can send back what it read.
 */
@Schema(name = "SessionRequest")
@JsonIgnoreProperties({"session_id", "expires_at", "created_at", "updated_at"})
@RegisterForReflection
public class SessionRequest {

    @Schema(implementation = String.class, example = "Trip planning")
    public Optional<@Size(max = 500) String> title;

    @Schema(implementation = String.class, example = "Travel agent")
    public Optional<@Size(max = 200) String> name;

    @Schema(implementation = String.class, description = "The llm-service config its completions use (summaries).")
    public Optional<@Size(max = 64) String> llmConfigId;

    @Schema(implementation = String.class, required = true, enumeration = {"temporary", "memory", "agent"},
            description = "temporary sessions expire after their last change; memory sessions are summarised.")
    public Optional<@Pattern(regexp = SessionType.PATTERN, message = "must be temporary, memory or agent") String> sessionType;

    @Schema(implementation = String.class)
    public Optional<@Size(max = 2048) String> avatar;

    @Schema(implementation = String.class)
    public Optional<String> systemPrompt;

    @Schema(implementation = String.class)
    public Optional<@Size(max = 1024) String> mediaOutputPath;

    @Schema(implementation = String.class)
    public Optional<@Size(max = 128) String> roleId;
}
