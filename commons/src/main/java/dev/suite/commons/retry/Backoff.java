package dev.suite.commons.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The suite's one retry schedule: capped exponential backoff with equal jitter. The n-th wait is
 * drawn from {@code [d/2, d]} where {@code d = min(max, base × 2^(n-1))}: the fixed half keeps a
 * retry from coming back at once, the random half spreads the replicas and clients that failed
 * together.
 */
public record Backoff(Duration base, Duration max) {

    /** A base over the cap is the cap: every wait is then drawn from {@code [max/2, max]}. */
    public Backoff {
        if (base.isNegative() || max.isNegative()) {
            throw new IllegalArgumentException("backoff waits cannot be negative, got " + base + " and " + max);
        }
        if (base.compareTo(max) > 0) {
            base = max;
        }
    }

    public static Backoff of(long baseMillis, long maxMillis) {
        return new Backoff(Duration.ofMillis(baseMillis), Duration.ofMillis(maxMillis));
    }

    /** The longest wait before retry {@code attempt} (1-based): the cap of its jitter. */
    public Duration ceiling(int attempt) {
        long base = base().toMillis();
        int doublings = Math.min(Math.max(0, attempt - 1), 30);
        long exponential = base > (Long.MAX_VALUE >> doublings) ? Long.MAX_VALUE : base << doublings;
        return Duration.ofMillis(Math.min(max().toMillis(), exponential));
    }

    /** The wait before retry {@code attempt} (1-based). */
    public Duration delay(int attempt) {
        long ceiling = ceiling(attempt).toMillis();
        return Duration.ofMillis(ceiling - ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }
}
