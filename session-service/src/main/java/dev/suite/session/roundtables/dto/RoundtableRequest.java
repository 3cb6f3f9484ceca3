package dev.suite.session.roundtables.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * The body of create and full update: the participants and the conditions that end a discussion.
 * The fields a roundtable's GET adds (its id, status, stop_reason, times) are the server's:
 * accepted and ignored, so a client can send back what it read.
 */
@Schema(name = "RoundtableRequest")
@JsonIgnoreProperties({"roundtable_id", "status", "stop_reason", "created_at", "updated_at"})
@RegisterForReflection
public class RoundtableRequest {

    @NotBlank
    @Size(max = 500)
    public String title;

    @Schema(description = "What the discussion is about; every participant is told.")
    public String topic;

    @Pattern(regexp = "round_robin|moderator", message = "must be round_robin or moderator")
    @Schema(defaultValue = "round_robin", enumeration = {"round_robin", "moderator"})
    public String turnOrder;

    @Min(1)
    @Schema(defaultValue = "3", description = "Rounds per discussion: every speaker once is a round.")
    public Integer maxRounds;

    @Min(1)
    @Schema(defaultValue = "20", description = "Turns per discussion.")
    public Integer maxMessages;

    @Size(max = 200)
    @Schema(description = "A turn containing this (case-insensitive) ends the discussion.")
    public String stopKeyword;

    @Min(1)
    @Schema(description = "The discussion ends once its turns used this many completion tokens.")
    public Integer tokenBudget;

    @NotEmpty
    public List<@Valid ParticipantRequest> participants;
}
