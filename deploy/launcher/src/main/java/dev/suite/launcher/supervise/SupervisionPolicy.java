package dev.suite.launcher.supervise;

import dev.suite.commons.retry.Backoff;
import dev.suite.launcher.Settings;

import java.time.Duration;

/**
 * The supervisor's timings and limits. A service that exits or stops answering is restarted after
 * a back-off that doubles from {@code backoffBase} up to {@code backoffMax}; after
 * {@code maxFailures} failures in a row (a crash loop) it is left stopped. A run that has been ready
 * for {@code stableAfter} clears the count.
 */
public record SupervisionPolicy(
        Duration readyTimeout,
        Duration stopGrace,
        int maxFailures,
        Duration probeInterval,
        Duration probeTimeout,
        int missedProbesBeforeHung,
        Duration backoffBase,
        Duration backoffMax,
        Duration stableAfter) {

    public static SupervisionPolicy from(Settings settings) {
        return new SupervisionPolicy(settings.readyTimeout(), settings.stopGrace(), settings.maxFailures(),
                Duration.ofSeconds(1), Duration.ofSeconds(3), 5,
                Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    /** The wait before the start that follows the {@code failures}-th failure in a row (1-based). */
    public Duration backoff(int failures) {
        return new Backoff(backoffBase, backoffMax).delay(failures);
    }
}
