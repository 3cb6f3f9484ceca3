package dev.suite.workflow.executions.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;

/**
 * An execution: status, per-node states (in the single view; lists leave them out), outputs,
 * timings and errors. {@code position} is its place in the queue while queued (0: next);
 * {@code replica_id} the replica that runs (or ran) it; {@code trigger_id} the trigger that started it;
 * {@code rerun_of} the execution it re-runs part of.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecutionResponse(
        String executionId,
        String promptId,
        String workflowId,
        Integer workflowVersion,
        String status,
        int priority,
        Long position,
        JsonNode inputs,
        JsonNode outputs,
        String error,
        boolean interruptRequested,
        int resumes,
        String replicaId,
        List<NodeRunResponse> nodes,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Long durationMs,
        String triggerId,
        String rerunOf) {

    public ExecutionResponse withDetails(Long queuePosition, List<NodeRunResponse> nodeRuns) {
        return new ExecutionResponse(executionId, promptId, workflowId, workflowVersion, status, priority, queuePosition,
                inputs, outputs, error, interruptRequested, resumes, replicaId, nodeRuns, createdAt, startedAt, finishedAt, durationMs,
                triggerId, rerunOf);
    }
}
