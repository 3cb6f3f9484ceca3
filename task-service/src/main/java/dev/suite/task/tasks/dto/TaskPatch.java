package dev.suite.task.tasks.dto;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What may change of a task that has not started: its priority. */
@Schema(name = "TaskPatch")
@RegisterForReflection
public record TaskPatch(
        @NotNull @Min(0) @Max(9) @Schema(required = true, example = "9",
                description = "0 (lowest) to 9 (highest); the task keeps its age within the new priority") Integer priority) {
}
