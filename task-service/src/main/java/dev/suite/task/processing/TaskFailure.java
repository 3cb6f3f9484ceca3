package dev.suite.task.processing;

/**
 * A processor's failure. {@code permanent} failures (the input cannot be processed: a corrupt
 * image, bad parameters) end the task at once; others are retried with backoff while attempts remain.
 */
public class TaskFailure extends Exception {

    private final boolean permanent;

    public TaskFailure(String message, boolean permanent) {
        super(message, null, false, false);
        this.permanent = permanent;
    }

    public static TaskFailure permanent(String message) {
        return new TaskFailure(message, true);
    }

    public static TaskFailure transientFailure(String message) {
        return new TaskFailure(message, false);
    }

    public boolean permanent() {
        return permanent;
    }
}
