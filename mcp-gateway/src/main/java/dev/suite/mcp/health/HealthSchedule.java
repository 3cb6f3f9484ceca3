package dev.suite.mcp.health;

import dev.suite.commons.redis.RedisLocks;
import dev.suite.commons.redis.RedisNames;
import dev.suite.mcp.McpSettings;
import dev.suite.mcp.registry.McpServer;
import dev.suite.mcp.registry.McpServerRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Runs the scheduled checks. Every replica wakes up each interval, but a server is checked only by
 * the replica that wins its Redis lease for that interval, so N replicas do not probe N times.
 * Without Redis no replica checks: health is not worth duplicate probes of every server.
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
    private final String replica = java.util.UUID.randomUUID().toString();

    public HealthSchedule(McpServerRepository servers, HealthChecker checker, RedisLocks locks,
            RedisNames names, McpSettings settings) {
        this.servers = servers;
        this.checker = checker;
        this.locks = locks;
        this.names = names;
        this.settings = settings;
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
                .replaceWithVoid();
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
