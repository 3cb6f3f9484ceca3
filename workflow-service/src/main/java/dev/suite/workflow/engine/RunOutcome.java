package dev.suite.workflow.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** How a run ended: completed, failed (the first stopping node's error) or interrupted; and its outputs. */
public record RunOutcome(RunStatus status, ObjectNode outputs, String error) {
}
