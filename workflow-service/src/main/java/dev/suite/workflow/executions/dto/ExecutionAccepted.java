package dev.suite.workflow.executions.dto;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A queued execution: {@code prompt_id} is its id under the original protocol's name; position 0 is next. */
@RegisterForReflection
public record ExecutionAccepted(String executionId, String promptId, String status, Long position) {
}
