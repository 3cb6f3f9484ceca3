package dev.suite.workflow.realtime;

/**
 * The execution events of {@code /ws/workflows} (the names front ends of the original design
 * expect), and the CloudEvent type each travels as on Redis.
 */
public enum EventType {
    NODE_EXECUTING("workflow.node.executing"),
    NODE_PROGRESS("workflow.node.progress"),
    NODE_YIELD("workflow.node.yield"),
    NODE_COMPLETE("workflow.node.complete"),
    NODE_ERROR("workflow.node.error"),
    /** A node waits for a person's approval: its request (message, value, deadline). */
    APPROVAL_REQUESTED("workflow.node.approval"),
    EXECUTION_STATUS_UPDATE("workflow.execution.status"),
    EXECUTION_COMPLETE("workflow.execution.complete"),
    EXECUTION_ERROR("workflow.execution.error"),
    EXECUTION_INTERRUPTED("workflow.execution.interrupted");

    private final String cloudEventType;

    EventType(String cloudEventType) {
        this.cloudEventType = cloudEventType;
    }

    public String cloudEventType() {
        return cloudEventType;
    }

    public static EventType ofCloudEventType(String type) {
        for (EventType value : values()) {
            if (value.cloudEventType.equals(type)) {
                return value;
            }
        }
        return null;
    }
}
