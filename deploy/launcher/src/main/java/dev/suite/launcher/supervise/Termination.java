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
        if (!process.isAlive()) {
            return false;
        }
        process.destroy();
        if (awaitExit(process, grace)) {
            return false;
        }
        kill(process);
        awaitExit(process, AFTER_KILL);
        return true;
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
