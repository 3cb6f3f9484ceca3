package dev.suite.llm.groups.dto;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A config in a group: its share of calls (weighted groups) and its rank (priority groups, lowest first). */
@Schema(name = "GroupMember")
@RegisterForReflection
public record GroupMember(
        @NotBlank @Schema(required = true, description = "One of your configs") String configId,
        @Min(1) @Max(1000) @Schema(defaultValue = "1") Integer weight,
        @Min(0) @Max(1000) @Schema(defaultValue = "0", description = "Lower is tried first") Integer priority) {

    public int weightOrDefault() {
        return weight == null ? 1 : weight;
    }

    public int priorityOrDefault() {
        return priority == null ? 0 : priority;
    }
}
