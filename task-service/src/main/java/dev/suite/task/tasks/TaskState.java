package dev.suite.task.tasks;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The task lifecycle of the original design, completed: every transition the service makes is
 * one of these, and any other is refused (409).
 *
 * <pre>
 * IDLE → SELECTING_SOURCE → SOURCE_SELECTED → READY → PROCESSING → COMPLETED
 *   ↘ SCHEDULED (until run_at) ──────────────↗  ↑  ↓       ↓  ↓ ↘
 *                                          PAUSED ←───────┘  RETRY_WAIT → READY
 *   (any unfinished state) → CANCELLED;  PROCESSING/RETRY_WAIT → FAILED → READY (retried by its owner)
 * </pre>
 */
public enum TaskState {
    IDLE, SELECTING_SOURCE, SOURCE_SELECTED, SCHEDULED, READY, PROCESSING, PAUSED, RETRY_WAIT, COMPLETED, FAILED, CANCELLED;

    private static final Map<TaskState, Set<TaskState>> NEXT = Map.ofEntries(
            Map.entry(IDLE, EnumSet.of(SELECTING_SOURCE, SOURCE_SELECTED, SCHEDULED, READY, CANCELLED)),
            Map.entry(SELECTING_SOURCE, EnumSet.of(SOURCE_SELECTED, CANCELLED)),
            Map.entry(SOURCE_SELECTED, EnumSet.of(SCHEDULED, READY, CANCELLED)),
            // A delayed start: queued when its run_at comes.
            Map.entry(SCHEDULED, EnumSet.of(READY, CANCELLED)),
            Map.entry(READY, EnumSet.of(PROCESSING, PAUSED, CANCELLED)),
            // READY again: the lease expired (its replica died) and the task is retried.
            Map.entry(PROCESSING, EnumSet.of(COMPLETED, FAILED, RETRY_WAIT, PAUSED, CANCELLED, READY)),
            Map.entry(RETRY_WAIT, EnumSet.of(READY, PAUSED, CANCELLED, FAILED)),
            Map.entry(PAUSED, EnumSet.of(READY, CANCELLED)),
            Map.entry(COMPLETED, EnumSet.noneOf(TaskState.class)),
            // Out of the dead letters, by its owner's request, with its attempts counted afresh.
            Map.entry(FAILED, EnumSet.of(READY)),
            Map.entry(CANCELLED, EnumSet.noneOf(TaskState.class)));

    public boolean canBecome(TaskState next) {
        return NEXT.get(this).contains(next);
    }

    /** The states from which {@code next} may be reached. */
    public static Set<TaskState> before(TaskState next) {
        Set<TaskState> out = EnumSet.noneOf(TaskState.class);
        NEXT.forEach((from, to) -> {
            if (to.contains(next)) {
                out.add(from);
            }
        });
        return out;
    }

    public boolean finished() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
