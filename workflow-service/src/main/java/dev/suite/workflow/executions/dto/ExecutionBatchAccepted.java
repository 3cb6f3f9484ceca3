package dev.suite.workflow.executions.dto;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/** The batch's executions, queued, in request order. */
@RegisterForReflection
public record ExecutionBatchAccepted(List<ExecutionAccepted> items) {
}
