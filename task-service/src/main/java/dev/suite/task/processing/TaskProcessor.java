package dev.suite.task.processing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.commons.problem.FieldError;

import java.util.List;

/**
 * Does the work of one task type, on a worker thread (blocking is fine). A new task type is one
 * class implementing this. Processors are idempotent: delivery is at least once, so a task whose
 * replica died mid-run is run again from its last checkpoint.
 */
public interface TaskProcessor {

    /** The {@code type} of the tasks it runs. */
    String type();

    /** Problems with the parameters, found when the task is created (400). */
    List<FieldError> check(JsonNode params, int inputFiles);

    /**
     * Runs the task. Returns the result (a JSON object); throws {@link TaskFailure} when it failed
     * and {@link Stopped} when {@link TaskRun#stopRequested()} made it stop.
     */
    JsonNode run(TaskRun run) throws TaskFailure, Stopped, InterruptedException;

    /** Whether a pause keeps the work done (the run saved a checkpoint) instead of starting over. */
    default boolean checkpoints() {
        return false;
    }

    /** Batch parents only coordinate: they do not count against the global cap of running tasks. */
    default boolean coordinates() {
        return false;
    }
}
