package dev.suite.task.tasks.dto;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** Which tasks were queued again, and why the others were not. */
@Schema(name = "TaskRetryResponse")
@RegisterForReflection
public record TaskRetryResponse(List<TaskResponse> retried, List<NotRetried> notRetried) {

    /** A task left as it was: not one of yours, or not FAILED. */
    @RegisterForReflection
    public record NotRetried(String taskId, String reason) {
    }
}
