package dev.suite.workflow.workflows.dto;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/** One saved version of a workflow. */
@RegisterForReflection
public record VersionResponse(int version, int nodeCount, Instant createdAt) {
}
