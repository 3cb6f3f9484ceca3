package dev.suite.workflow.engine;

import java.util.ArrayList;
import java.util.List;

/** Fires once when a node's attempt is abandoned (interrupt, timeout): the node stops its work. */
public final class Cancellation {

    private final List<Runnable> actions = new ArrayList<>();
    private boolean cancelled;

    public void onCancel(Runnable action) {
        boolean now;
        synchronized (this) {
            now = cancelled;
            if (!now) {
                actions.add(action);
            }
        }
        if (now) {
            action.run();
        }
    }

    public synchronized boolean isCancelled() {
        return cancelled;
    }

    void cancel() {
        List<Runnable> run;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            run = List.copyOf(actions);
            actions.clear();
        }
        for (Runnable action : run) {
            try {
                action.run();
            } catch (RuntimeException e) {
                // A node's clean-up failing must not stop the others'.
            }
        }
    }
}
