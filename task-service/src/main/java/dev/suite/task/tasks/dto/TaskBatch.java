package dev.suite.task.tasks.dto;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** Tasks queued in one request: all of them, or none when one is invalid. */
@Schema(name = "TaskBatch")
@RegisterForReflection
public class TaskBatch {

    @Schema(required = true, description = "1 to suite.task.max-tasks-per-request (1000) tasks")
    public List<TaskRequest> tasks;
}
