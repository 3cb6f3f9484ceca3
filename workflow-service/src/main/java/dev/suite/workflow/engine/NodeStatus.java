package dev.suite.workflow.engine;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a node of an execution is. */
public enum NodeStatus {
    PENDING, RUNNING, WAITING, COMPLETED, FAILED, SKIPPED, BYPASSED, INTERRUPTED;

    @JsonValue
    public String json() {
        return name().toLowerCase();
    }

    public static NodeStatus of(String json) {
        return valueOf(json.toUpperCase());
    }

    /** Completed or bypassed: its outputs are final and a resumed execution reuses them. */
    public boolean hasOutputs() {
        return this == COMPLETED || this == BYPASSED;
    }
}
