package dev.suite.task.tasks;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * A task as a worker sees it: what to run, for whom, and how often it may be tried; {@code traceParent}
 * is the trace of the request that created it (null when it was not traced).
 */
public record Task(String taskId, String ownerId, String type, TaskState state, int priority, JsonNode params,
        List<String> inputFileIds, int attempts, int maxRetries, int timeoutSeconds, JsonNode checkpoint,
        String parentId, String requested, Instant queuedAt, String traceParent) {
}
