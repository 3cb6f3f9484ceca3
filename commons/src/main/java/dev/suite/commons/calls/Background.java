package dev.suite.commons.calls;

import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

/**
 * Work that is started and not waited for — an event published, a lease released, a connection
 * closed. Its failure is never dropped: it is logged (the log line carries the request id of the
 * thread that started it), at the level its importance deserves.
 */
public final class Background {

    private Background() {
    }

    /** Runs {@code work}; a failure is a warning naming {@code what}. */
    public static void run(Uni<?> work, Logger log, String what) {
        work.subscribe().with(ok -> { }, e -> log.warnf("%s failed: %s", what, e.toString()));
    }

    /**
     * Runs {@code work} whose failure changes nothing — closing what is already lost, a transient
     * event sent once per token — so that a failing dependency does not flood the log; at debug.
     */
    public static void tidy(Uni<?> work, Logger log, String what) {
        work.subscribe().with(ok -> { }, e -> log.debugf("%s failed: %s", what, e.toString()));
    }
}
