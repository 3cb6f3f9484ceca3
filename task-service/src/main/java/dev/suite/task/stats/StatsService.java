package dev.suite.task.stats;

import dev.suite.task.processing.Processors;
import dev.suite.commons.queue.FairQueue;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /api/v1/stats} for the caller, and the same figures suite-wide as Micrometer gauges
 * (queue depth per type, tasks per state), refreshed every 10 s; run times are the
 * {@code task.run} timer the workers record.
 */
@ApplicationScoped
public class StatsService {

    /** Finished tasks whose run times make the percentiles. */
    static final int SAMPLE = 1000;

    private final Pool pool;
    private final FairQueue queue;
    private final Processors processors;
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> depthGauges = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> stateGauges = new ConcurrentHashMap<>();

    public StatsService(Pool pool, FairQueue queue, Processors processors, MeterRegistry registry) {
        this.pool = pool;
        this.queue = queue;
        this.processors = processors;
        this.registry = registry;
    }

    public Uni<Map<String, Object>> stats(String ownerId) {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        return pool.preparedQuery("SELECT type, state, COUNT(*) FROM task WHERE owner_id = ? GROUP BY type, state")
                .execute(Tuple.of(ownerId)).chain(counts -> pool.preparedQuery("SELECT "
                                + "SUM(state = 'COMPLETED' AND finished_at >= ?), SUM(state = 'COMPLETED' AND finished_at >= ?), "
                                + "SUM(state = 'FAILED' AND finished_at >= ?) FROM task WHERE owner_id = ? AND finished_at >= ?")
                        .execute(Tuple.of(now.minusMinutes(1), now.minusHours(1), now.minusHours(1), ownerId, now.minusHours(1)))
                        .chain(rates -> pool.preparedQuery("SELECT TIMESTAMPDIFF(MICROSECOND, started_at, finished_at) FROM task "
                                        + "WHERE owner_id = ? AND state = 'COMPLETED' AND started_at IS NOT NULL "
                                        + "ORDER BY finished_at DESC LIMIT " + SAMPLE)
                                .execute(Tuple.of(ownerId))
                                .chain(times -> depths().chain(depths -> queue.running().onFailure().recoverWithItem(-1L)
                                        .map(running -> {
                                    Map<String, Object> out = new LinkedHashMap<>();
                                    Map<String, Long> byState = new LinkedHashMap<>();
                                    Map<String, Map<String, Long>> byType = new LinkedHashMap<>();
                                    counts.forEach(row -> {
                                        byState.merge(row.getString(1), row.getLong(2), Long::sum);
                                        byType.computeIfAbsent(row.getString(0), k -> new LinkedHashMap<>())
                                                .put(row.getString(1), row.getLong(2));
                                    });
                                    var rate = rates.iterator().next();
                                    long lastMinute = number(rate.getValue(0));
                                    long completedHour = number(rate.getValue(1));
                                    long failedHour = number(rate.getValue(2));
                                    List<Long> micros = new ArrayList<>();
                                    times.forEach(row -> micros.add(row.getLong(0)));
                                    long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
                                    out.put("by_state", byState);
                                    out.put("by_type", byType);
                                    out.put("queue_depth", depths);
                                    out.put("running_suite_wide", running);
                                    out.put("completed_last_minute", lastMinute);
                                    out.put("throughput_per_second", lastMinute / 60.0);
                                    out.put("failure_rate_last_hour", completedHour + failedHour == 0 ? 0.0
                                            : (double) failedHour / (completedHour + failedHour));
                                    out.put("run_time_ms", Map.of("p50", percentile(sorted, 0.50), "p95",
                                            percentile(sorted, 0.95), "sample", sorted.length));
                                    return out;
                                })))));
    }

    /** Queue depth per type and tasks running, suite-wide (Redis). */
    public Uni<ServiceMetrics.Queue> queue() {
        return depths().chain(depths -> queue.running().onFailure().recoverWithItem(-1L)
                .map(running -> new ServiceMetrics.Queue(depths, running)));
    }

    /** Queued tasks per type, suite-wide (Redis). */
    private Uni<Map<String, Long>> depths() {
        Map<String, Long> out = new LinkedHashMap<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String type : processors.all().keySet()) {
            chain = chain.chain(() -> queue.depth(type).invoke(n -> out.put(type, n)).replaceWithVoid());
        }
        return chain.replaceWith(out).onFailure().recoverWithItem(Map.of());
    }

    @Scheduled(every = "10s", concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshGauges() {
        return depths().invoke(depths -> depths.forEach((type, n) -> depthGauges.computeIfAbsent(type, t -> {
                    AtomicLong value = new AtomicLong();
                    Gauge.builder("task.queue.depth", value, AtomicLong::get).tag("type", t)
                            .description("Tasks queued in Redis, suite-wide").register(registry);
                    return value;
                }).set(n)))
                .chain(() -> pool.query("SELECT state, COUNT(*) FROM task GROUP BY state").execute())
                .invoke(rows -> rows.forEach(row -> stateGauges.computeIfAbsent(row.getString(0), s -> {
                    AtomicLong value = new AtomicLong();
                    Gauge.builder("task.count", value, AtomicLong::get).tag("state", s)
                            .description("Tasks per state, suite-wide").register(registry);
                    return value;
                }).set(row.getLong(1))))
                .replaceWithVoid()
                .onFailure().recoverWithNull();
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    static double percentile(long[] sortedMicros, double p) {
        if (sortedMicros.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sortedMicros.length - 1, Math.ceil(p * sortedMicros.length) - 1);
        return sortedMicros[Math.max(0, index)] / 1000.0;
    }
}
