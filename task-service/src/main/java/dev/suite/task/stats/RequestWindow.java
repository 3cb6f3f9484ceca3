package dev.suite.task.stats;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Arrays;

/**
 * The API's requests of the last minute, for {@code GET /api/v1/metrics}: how many per second,
 * how many failed, and latency percentiles over the most recent ones. Probes and scrapes under
 * {@code /q/} are left out, so they do not drown what callers see.
 *
 * <p>Sixty one-second buckets plus a ring of recent latencies, under one lock: a request costs
 * a few array writes, far below what Micrometer's client-side percentiles would add per route.
 */
@ApplicationScoped
public class RequestWindow {

    static final int SECONDS = 60;
    static final int LATENCY_SAMPLES = 4096;
    /** After the request id (10 000), before authentication: a 401 is a request too. */
    private static final int PRIORITY = 9_000;

    private final long[] bucketSecond = new long[SECONDS];
    private final long[] requests = new long[SECONDS];
    private final long[] serverErrors = new long[SECONDS];
    private final long[] clientErrors = new long[SECONDS];
    private final long[] latencyNanos = new long[LATENCY_SAMPLES];
    private final long[] latencySecond = new long[LATENCY_SAMPLES];
    private int nextSample;

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            String path = rc.normalizedPath();
            if (!path.startsWith("/q/")) {
                long start = System.nanoTime();
                rc.addEndHandler(ended -> record(rc.response().getStatusCode(), System.nanoTime() - start,
                        System.currentTimeMillis() / 1000));
            }
            rc.next();
        }, PRIORITY);
    }

    synchronized void record(int status, long nanos, long second) {
        int bucket = (int) (second % SECONDS);
        if (bucketSecond[bucket] != second) {
            bucketSecond[bucket] = second;
            requests[bucket] = 0;
            serverErrors[bucket] = 0;
            clientErrors[bucket] = 0;
        }
        requests[bucket]++;
        if (status >= 500) {
            serverErrors[bucket]++;
        } else if (status >= 400) {
            clientErrors[bucket]++;
        }
        latencyNanos[nextSample] = nanos;
        latencySecond[nextSample] = second;
        nextSample = (nextSample + 1) % LATENCY_SAMPLES;
    }

    /** The window ending at this second (epoch seconds). */
    synchronized ServiceMetrics.Requests snapshot(long second) {
        long total = 0;
        long server = 0;
        long client = 0;
        for (int i = 0; i < SECONDS; i++) {
            if (second - bucketSecond[i] < SECONDS) {
                total += requests[i];
                server += serverErrors[i];
                client += clientErrors[i];
            }
        }
        long[] recent = new long[LATENCY_SAMPLES];
        int n = 0;
        for (int i = 0; i < LATENCY_SAMPLES; i++) {
            if (latencySecond[i] != 0 && second - latencySecond[i] < SECONDS) {
                recent[n++] = latencyNanos[i];
            }
        }
        long[] sorted = Arrays.copyOf(recent, n);
        Arrays.sort(sorted);
        return new ServiceMetrics.Requests(SECONDS, total, total / (double) SECONDS,
                total == 0 ? 0.0 : server / (double) total, total == 0 ? 0.0 : client / (double) total,
                new ServiceMetrics.Latency(millis(sorted, 0.50), millis(sorted, 0.95), millis(sorted, 0.99), sorted.length));
    }

    private static double millis(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(p * sortedNanos.length) - 1);
        return sortedNanos[Math.max(0, index)] / 1_000_000.0;
    }
}
