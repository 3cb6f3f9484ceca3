package dev.suite.task.tasks.dto;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/** The batch's tasks in request order: each new one, or the earlier task its idempotency key names. */
@RegisterForReflection
public record TaskBatchResponse(List<TaskResponse> items) {
}
