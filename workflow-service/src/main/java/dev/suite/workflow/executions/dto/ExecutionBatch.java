package dev.suite.workflow.executions.dto;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** Executions queued in one request: all of them, or none when one is invalid. */
@Schema(name = "ExecutionBatch")
@RegisterForReflection
public class ExecutionBatch {

    @Schema(required = true, description = "1 to suite.workflow.max-executions-per-request (1000) executions")
    public List<ExecutionRequest> executions;
}
