package dev.suite.launcher.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the commands print, and the waits between their polls (the CLI's own thread: blocking is fine here). */
final class Console {

    private static final int TAIL_LINES = 30;

    private Console() {
    }

    static void say(String message) {
        System.out.println("suite: " + message);
    }

    static void warn(String message) {
        System.err.println("suite: " + message);
    }

    /** The end of a log, for a failure the user must read. */
    static void showTail(Path log) {
        System.err.println("---- last " + TAIL_LINES + " lines of " + log + " ----");
        try {
            List<String> lines = Files.readAllLines(log);
            lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()).forEach(System.err::println);
        } catch (IOException e) {
            System.err.println("(no log: " + e.getMessage() + ")");
        }
        System.err.println("----");
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
