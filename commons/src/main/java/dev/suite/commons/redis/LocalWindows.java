package dev.suite.commons.redis;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Fixed-window counters kept in this replica: the rate limits that must hold while Redis is away.
 * Each replica then allows the full limit on its own, so a client spread over N replicas gets up
 * to N times the limit until Redis returns. Windows are dropped once over, and the map is swept
 * when it grows, so a flood of distinct keys cannot hold memory.
 */
final class LocalWindows {

    /** A window's count and when it ends. */
    record Hit(long count, long millisLeft) {
    }

    private static final int SWEEP_ABOVE = 10_000;

    private record Window(long endsAt, long count) {
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    LocalWindows(LongSupplier clock) {
        this.clock = clock;
    }

    /** Counts {@code count} hits unless they would pass {@code limit}; answers the count with them and the time left. */
    Hit hit(String key, long count, long limit, long windowMillis) {
        long now = clock.getAsLong();
        if (windows.size() > SWEEP_ABOVE) {
            sweep(now);
        }
        long[] wanted = new long[1];
        Window window = windows.compute(key, (k, w) -> {
            Window current = w == null || w.endsAt() <= now ? new Window(now + windowMillis, 0) : w;
            wanted[0] = current.count() + count;
            return wanted[0] <= limit ? new Window(current.endsAt(), wanted[0]) : current;
        });
        return new Hit(wanted[0], window.endsAt() - now);
    }

    /** Windows held (tests). */
    int size() {
        return windows.size();
    }

    private void sweep(long now) {
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
            if (it.next().endsAt() <= now) {
                it.remove();
            }
        }
    }
}
