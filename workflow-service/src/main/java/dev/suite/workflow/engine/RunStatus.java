package dev.suite.workflow.engine;

/** How a run of a graph ended; WAITING: paused at nodes that wait for a person, with nothing else left to run. */
public enum RunStatus {
    COMPLETED, FAILED, INTERRUPTED, WAITING
}
