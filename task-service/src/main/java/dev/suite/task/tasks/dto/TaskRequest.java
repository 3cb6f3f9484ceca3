package dev.suite.task.tasks.dto;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** A task to queue. */
@Schema(name = "TaskRequest")
@RegisterForReflection
public class TaskRequest {

    @NotBlank
    @Pattern(regexp = "[a-z][a-z0-9_-]{0,31}", message = "must be a task type such as image, video, batch or noop")
    @Schema(required = true, example = "image")
    public String type;

    @Min(0)
    @Max(9)
    @Schema(defaultValue = "5", description = "0 (lowest) to 9 (highest), among your own tasks; FIFO within a priority. "
            + "Between users, dispatch takes turns.")
    public Integer priority;

    @Schema(description = "The processor's parameters (a JSON object)")
    public JsonNode params;

    @Size(max = 100)
    public List<@Pattern(regexp = "[0-9a-f-]{36}", message = "must be a file id") String> inputFileIds;

    @Min(1)
    public Integer timeoutSeconds;

    @Min(0)
    public Integer maxRetries;

    @Size(max = 128)
    @Schema(description = "Creating again with the same key returns the first task instead of a new one")
    public String idempotencyKey;

    @Size(max = 128)
    @Schema(description = "While its window lasts, creating a task with the same key answers the task that holds it "
            + "(200) instead of queueing another; after the window the key is free again")
    public String uniqueKey;

    @Min(1)
    @Schema(description = "How long unique_key holds, from creation (default suite.task.unique-window, 1 hour; at most "
            + "suite.task.max-unique-window, 30 days)")
    public Integer uniqueForSeconds;

    @Schema(example = "2026-12-24T08:00:00Z", description = "ISO-8601 instant: the task waits, SCHEDULED, until then "
            + "(at most suite.task.max-delay ahead); now or past queues it at once")
    public Instant runAt;
}
