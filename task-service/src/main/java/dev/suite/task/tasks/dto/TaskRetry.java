package dev.suite.task.tasks.dto;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** FAILED tasks to queue again. */
@Schema(name = "TaskRetry")
@RegisterForReflection
public record TaskRetry(
        @NotNull @Size(min = 1, max = 1000) @Schema(required = true)
        List<@NotNull @Pattern(regexp = "[0-9a-f-]{36}", message = "must be a task id") String> taskIds) {
}
