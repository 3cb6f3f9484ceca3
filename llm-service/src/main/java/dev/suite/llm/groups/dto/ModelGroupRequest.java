package dev.suite.llm.groups.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.suite.llm.limits.Limits;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * The body of create and full update of a model group. The fields its GET adds (id, times) are
 * the server's: accepted and ignored, so a client can send back what it read.
 */
@Schema(name = "ModelGroupRequest")
@JsonIgnoreProperties({"group_id", "created_at", "updated_at"})
@RegisterForReflection
public record ModelGroupRequest(
        @NotBlank @Size(max = 100) @Schema(required = true, example = "fast-chat",
                description = "What a client puts in model") String name,
        @Pattern(regexp = "weighted|priority", message = "must be weighted or priority")
        @Schema(defaultValue = "weighted", enumeration = {"weighted", "priority"}) String strategy,
        @NotNull @Size(min = 1, max = 32) @Schema(required = true) List<@NotNull @Valid GroupMember> members,
        @Min(0) @Max(86400) @Schema(defaultValue = "30",
                description = "How long a member that failed is passed over, across replicas") Integer cooldownSeconds,
        @Valid @Schema(description = "Limits and budgets of the calls through the group, on top of its members' own")
        Limits limits) {
}
