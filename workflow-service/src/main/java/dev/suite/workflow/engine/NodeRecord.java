package dev.suite.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Map;

/**
 * How a node ended: its status, attempts, output values (streams left out) or error, and times;
 * {@code reused}: its outputs were kept from an earlier run with the same config and inputs.
 */
public record NodeRecord(String nodeId, NodeStatus status, int attempts, Map<String, JsonNode> outputs, String error,
        Instant startedAt, Instant finishedAt, boolean reused) {
}
