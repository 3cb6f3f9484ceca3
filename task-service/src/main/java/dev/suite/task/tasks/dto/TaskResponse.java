package dev.suite.task.tasks.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;

/**
 * A task as the API shows it. {@code history} lists every transition with its time (in the single
 * view; lists leave it out). {@code requested} is a cancel or pause asked of the running worker.
 * {@code schedule_id} and {@code scheduled_for} name the schedule and tick that made a recurring task.
 */
@RegisterForReflection
public record TaskResponse(
        String taskId,
        String type,
        String state,
        int priority,
        JsonNode params,
        List<String> inputFileIds,
        int progress,
        int attempts,
        int maxRetries,
        int timeoutSeconds,
        JsonNode result,
        String error,
        String parentId,
        String scheduleId,
        Instant scheduledFor,
        String idempotencyKey,
        String uniqueKey,
        Instant uniqueUntil,
        String requested,
        Instant createdAt,
        Instant queuedAt,
        Instant startedAt,
        Instant finishedAt,
        Instant runAfter,
        Instant updatedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode history) {
}
