package dev.suite.commons.testing;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Starts a server process a test owns, waits until it answers, and stops it again. */
public final class LocalServerProcess {

    private LocalServerProcess() {
    }

    public static Process start(ProcessBuilder builder, BooleanSupplier answers, String what) {
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException(what + " must be installed (deploy/local/services.sh does it)", e);
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!answers.getAsBoolean()) {
            if (Instant.now().isAfter(deadline) || !process.isAlive()) {
                process.destroyForcibly();
                throw new IllegalStateException(what + " did not start");
            }
            Thread.onSpinWait();
        }
        return process;
    }

    public static void stop(Process process) {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
