package dev.suite.workflow.executions;

/** Where an execution is. Completed, failed and interrupted are final; waiting: paused for a person's decision. */
public final class ExecutionStatus {

    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String WAITING = "waiting";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String INTERRUPTED = "interrupted";

    private ExecutionStatus() {
    }

    public static boolean isKnown(String status) {
        return QUEUED.equals(status) || RUNNING.equals(status) || WAITING.equals(status) || isFinal(status);
    }

    public static boolean isFinal(String status) {
        return COMPLETED.equals(status) || FAILED.equals(status) || INTERRUPTED.equals(status);
    }
}
