package dev.suite.mcp.health;

import dev.suite.commons.redis.RedisLocks;
import dev.suite.commons.redis.RedisNames;
import dev.suite.mcp.McpSettings;
import dev.suite.mcp.registry.McpServer;
import dev.suite.mcp.registry.McpServerRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the scheduled checks. Every replica wakes up each interval, but a server is checked only by
 * the replica that wins its Redis lease for that interval, so N replicas do not probe N times.
 * Without Redis no replica checks: health is not worth duplicate probes of every server.
 *
 * <p>After each round every replica counts the enabled servers by their stored health into the
 * gauge {@code mcp.servers{health=healthy|unhealthy|unknown}}: suite-wide numbers, the same on
 * every replica, registered at start so that the series exist before the first round.
 */
@ApplicationScoped
public class HealthSchedule {

    private static final Logger LOG = Logger.getLogger(HealthSchedule.class);
    private static final int CONCURRENT_CHECKS = 8;

    private final McpServerRepository servers;
    private final HealthChecker checker;
    private final RedisLocks locks;
    private final RedisNames names;
    private final McpSettings settings;
    private final Pool db;
    private final String replica = java.util.UUID.randomUUID().toString();
    /** The {@code mcp.servers} gauges' values, by health. */
    private final Map<String, AtomicLong> serversByHealth;

    public HealthSchedule(McpServerRepository servers, HealthChecker checker, RedisLocks locks,
            RedisNames names, McpSettings settings, Pool db, MeterRegistry registry) {
        this.servers = servers;
        this.checker = checker;
        this.locks = locks;
        this.names = names;
        this.settings = settings;
        this.db = db;
        Map<String, AtomicLong> gauges = new HashMap<>();
        for (String health : List.of(HealthReport.HEALTHY, HealthReport.UNHEALTHY, HealthReport.UNKNOWN)) {
            AtomicLong value = new AtomicLong();
            Gauge.builder("mcp.servers", value, AtomicLong::get).tag("health", health)
                    .description("Enabled MCP servers by the health their last check left, suite-wide")
                    .register(registry);
            gauges.put(health, value);
        }
        this.serversByHealth = Map.copyOf(gauges);
    }

    /** Creates this bean at start (registering the gauges) and counts once, before the first round. */
    void countAtStart(@Observes StartupEvent event) {
        countByHealth().subscribe().with(ok -> {
        });
    }

    @Scheduled(every = "${suite.mcp.health.interval:30s}", delayed = "${suite.mcp.health.interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> checkAll() {
        return Panache.withSession(servers::allEnabled)
                .onItem().transformToMulti(list -> Multi.createFrom().iterable(list))
                .onItem().transformToUni(this::checkIfLeased).merge(CONCURRENT_CHECKS)
                .collect().last()
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Scheduled MCP health checks skipped: %s", e.getMessage());
                    return null;
                })
                .replaceWithVoid()
                .chain(this::countByHealth);
    }

    /** Sets the {@code mcp.servers} gauges from MySQL; keeps the last numbers when it cannot. */
    private Uni<Void> countByHealth() {
        return db.query("SELECT COALESCE(h.status, '" + HealthReport.UNKNOWN + "'), COUNT(*) FROM mcp_server s "
                        + "LEFT JOIN mcp_server_health h ON h.server_id = s.server_id WHERE s.enabled = TRUE GROUP BY 1")
                .execute()
                .invoke(rows -> {
                    Map<String, Long> counts = new HashMap<>();
                    rows.forEach(row -> counts.put(row.getString(0), row.getLong(1)));
                    serversByHealth.forEach((health, value) -> value.set(counts.getOrDefault(health, 0L)));
                })
                .replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    LOG.debugf("MCP servers not counted by health: %s", e.getMessage());
                    return null;
                });
    }

    private Uni<Void> checkIfLeased(McpServer server) {
        // The lease lasts a little less than the interval, so the next round can take it again.
        Duration lease = settings.health().interval().multipliedBy(9).dividedBy(10);
        return locks.acquire(names.key("mcp", "health-lease", server.id), replica, lease)
                .chain(mine -> mine ? checker.check(server).replaceWithVoid() : Uni.createFrom().voidItem())
                .onFailure().recoverWithItem(e -> {
                    LOG.debugf("Health check of %s skipped: %s", server.id, e.getMessage());
                    return null;
                });
    }
}
