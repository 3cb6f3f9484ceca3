package dev.suite.session.roundtables.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;

/**
 * A participant of a roundtable: who speaks, with which llm-service config and in which role. Its
 * {@code participant_id} is the server's (kept while the name is): accepted and ignored.
 */
@Schema(properties = @SchemaProperty(name = "participant_id", type = SchemaType.STRING, readOnly = true,
        description = "The server's: accepted and ignored in request bodies."))
@JsonIgnoreProperties({"participant_id"})
@RegisterForReflection
public class ParticipantRequest {

    @NotBlank
    @Size(max = 100)
    public String name;

    @NotBlank
    @Size(max = 64)
    public String llmConfigId;

    public String rolePrompt;

    /** Speaking order (round-robin); list order when absent. */
    @Min(0)
    public Integer order;

    /** The moderator picks who speaks next when turn_order is moderator. */
    public Boolean moderator;
}
