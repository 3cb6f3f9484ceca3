package dev.suite.workflow.executions.dto;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * One node of an execution. {@code outputs} are inline unless large: then {@code outputs_ref}
 * is the path that serves them.
 */
@RegisterForReflection
public record NodeRunResponse(String nodeId, String status, int attempts, JsonNode outputs, String outputsRef,
        String error, Instant startedAt, Instant finishedAt, Long durationMs) {
}
