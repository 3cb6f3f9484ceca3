package dev.suite.session.roundtables.dto;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** A new roundtable: its participants and the conditions that end a discussion. */
@Schema(name = "RoundtableRequest")
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
