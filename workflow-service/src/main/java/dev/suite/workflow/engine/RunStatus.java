package dev.suite.workflow.engine;

/** How a run of a graph ended. */
public enum RunStatus {
    COMPLETED, FAILED, INTERRUPTED
}
