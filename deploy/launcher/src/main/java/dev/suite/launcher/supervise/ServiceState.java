package dev.suite.launcher.supervise;

/** Where a supervised service is in its life. */
public enum ServiceState {
    /** Its process runs and has not yet answered ready. */
    STARTING,
    /** Answers 200 on /q/health/ready. */
    READY,
    /** Runs and answers, but not ready (a dependency such as MySQL is away): left alone, it recovers by itself. */
    UNHEALTHY,
    /** Exited or hung; waiting out its back-off before the next start. */
    BACKOFF,
    /** Failed too many times in a row (a crash loop): not restarted until asked to. */
    FAILED,
    STOPPING,
    STOPPED;

    public String label() {
        return name().toLowerCase();
    }

    /** Whether its port takes requests: the gateway forwards only then. */
    public boolean serving() {
        return this == READY || this == UNHEALTHY;
    }
}
