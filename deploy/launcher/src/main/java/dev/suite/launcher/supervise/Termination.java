package dev.suite.launcher.supervise;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Stopping a process the way services expect: SIGTERM, a grace period, then SIGKILL for it and its children. */
public final class Termination {

    private static final Duration AFTER_KILL = Duration.ofSeconds(10);

    private Termination() {
    }

    /** Kills the process and every process under it at once (a service's own children included). */
    public static void kill(ProcessHandle process) {
        // Taken before the kill: once the parent is gone its children belong to init and are no longer listed.
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** Blocks until the process has exited; answers whether it needed SIGKILL. For worker threads only. */
    public static boolean terminate(ProcessHandle process, Duration grace) {
        return terminateAll(List.of(process), grace) > 0;
    }

    /**
     * SIGTERM to every process at once, then SIGKILL to those still there after the grace period;
     * blocks until all have exited and answers how many needed SIGKILL. For worker threads only.
     */
    public static int terminateAll(List<ProcessHandle> processes, Duration grace) {
        processes.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        int killed = 0;
        for (ProcessHandle process : processes) {
            if (!awaitExit(process, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                kill(process);
                awaitExit(process, AFTER_KILL);
                killed++;
            }
        }
        return killed;
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
