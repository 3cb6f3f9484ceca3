package dev.suite.task.processing;

/** Thrown by a processor that stopped because its run was asked to (cancel, pause or timeout). */
public class Stopped extends Exception {

    public Stopped() {
        super("stopped", null, false, false);
    }
}
