package dev.suite.mcp.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.events.CloudEvent;
import dev.suite.commons.db.MySqlErrors;
import dev.suite.commons.events.EventPublisher;
import dev.suite.mcp.McpSettings;
import dev.suite.mcp.protocol.Era;
import dev.suite.mcp.registry.McpServer;
import dev.suite.mcp.registry.McpServerEvents;
import dev.suite.mcp.upstream.CallLimits;
import dev.suite.mcp.upstream.Upstream;
import dev.suite.mcp.upstream.UpstreamPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Checks one server — the era handshake, then {@code ping} ({@code server/discover} for the
 * stateless era, which has no ping) — and records the outcome: a server turns unhealthy after
 * {@code suite.mcp.health.unhealthy-threshold} failures in a row and healthy on the first success.
 * Every change of state is published as {@code mcp.server.health}.
 */
@ApplicationScoped
public class HealthChecker {

    public static final String HEALTH_CHANGED = "mcp.server.health";

    private final UpstreamPool pool;
    private final McpSettings settings;
    private final EventPublisher publisher;
    private final McpServerEvents events;
    private final ObjectMapper mapper;
    private final Pool db;

    public HealthChecker(UpstreamPool pool, McpSettings settings, EventPublisher publisher, McpServerEvents events,
            ObjectMapper mapper, Pool db) {
        this.db = db;
        this.pool = pool;
        this.settings = settings;
        this.publisher = publisher;
        this.events = events;
        this.mapper = mapper;
    }

    /** What one probe saw. */
    private record Probe(boolean ok, Upstream.Handshake handshake, int latencyMs, String error) {
    }

    public Uni<HealthReport> check(McpServer server) {
        return probe(server).chain(probe -> record(server, probe)
                .call(change -> change.changed() ? publish(server.ownerId, change.report())
                        : Uni.createFrom().voidItem())
                .map(Change::report));
    }

    private Uni<Probe> probe(McpServer server) {
        Upstream upstream = pool.get(server);
        CallLimits limit = CallLimits.quick(settings.health().timeout());
        long start = System.nanoTime();
        return upstream.connect()
                .chain(h -> upstream.call(h.era() == Era.MODERN ? "server/discover" : "ping", new JsonObject(), null, limit)
                        .map(response -> {
                            int latency = (int) ((System.nanoTime() - start) / 1_000_000);
                            JsonObject error = response.getJsonObject("error");
                            return error == null ? new Probe(true, h, latency, null)
                                    : new Probe(false, h, latency, "ping answered with error " + error.getValue("code")
                                            + ": " + error.getString("message"));
                        }))
                .onFailure().recoverWithItem(e -> new Probe(false, null, (int) ((System.nanoTime() - start) / 1_000_000),
                        e.getMessage()));
    }

    private record Change(HealthReport report, boolean changed) {
    }

    /**
     * Stores the probe's outcome under a row lock, so a live check and a scheduled one of the
     * same server do not lose each other's failure count.
     */
    private Uni<Change> record(McpServer server, Probe probe) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return db.withTransaction(conn -> conn.preparedQuery("SELECT status, consecutive_failures, era, "
                                + "protocol_version, changed_at FROM mcp_server_health WHERE server_id = ? FOR UPDATE")
                        .execute(Tuple.of(server.id))
                        .chain(rows -> {
                            Row before = rows.iterator().hasNext() ? rows.iterator().next() : null;
                            Change change = next(server, probe, before, now);
                            HealthReport r = change.report();
                            // Arrays.asList, not List.of: era, version and error may be null.
                            Tuple values = Tuple.tuple(Arrays.asList(r.status(), r.era(), r.protocolVersion(),
                                    r.latencyMs(), r.lastError(), r.consecutiveFailures(), utc(r.checkedAt()),
                                    utc(r.changedAt()), server.ownerId, server.id));
                            String sql = before == null
                                    ? "INSERT INTO mcp_server_health (status, era, protocol_version, latency_ms, last_error, "
                                            + "consecutive_failures, checked_at, changed_at, owner_id, server_id) "
                                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                    : "UPDATE mcp_server_health SET status = ?, era = ?, protocol_version = ?, latency_ms = ?, "
                                            + "last_error = ?, consecutive_failures = ?, checked_at = ?, changed_at = ?, "
                                            + "owner_id = ? WHERE server_id = ?";
                            return conn.preparedQuery(sql).execute(values).replaceWith(change);
                        }))
                // Two first checks of a new server may both insert (a duplicate key, or a deadlock on the
                // gap lock); the loser tries again and reads the winner's row.
                .onFailure(MySqlErrors::isRaceLost).retry().atMost(2);
    }

    private Change next(McpServer server, Probe probe, Row before, Instant now) {
        String previous = before == null ? HealthReport.UNKNOWN : before.getString("status");
        int failures = probe.ok() ? 0 : (before == null ? 0 : before.getInteger("consecutive_failures")) + 1;
        String status = probe.ok() ? HealthReport.HEALTHY
                : failures >= settings.health().unhealthyThreshold() ? HealthReport.UNHEALTHY : previous;
        String era = probe.ok() ? probe.handshake().era().wireName() : before == null ? null : before.getString("era");
        String version = probe.ok() ? probe.handshake().protocolVersion()
                : before == null ? null : before.getString("protocol_version");
        boolean changed = !status.equals(previous);
        Instant changedAt = changed || before == null ? now : before.getLocalDateTime("changed_at").toInstant(ZoneOffset.UTC);
        HealthReport report = new HealthReport(server.id, status, probe.ok(), era, version, probe.latencyMs(),
                probe.ok() ? null : truncate(probe.error()), failures, now, changedAt);
        return new Change(report, changed);
    }

    private Uni<Void> publish(String ownerId, HealthReport report) {
        var data = mapper.valueToTree(Map.of("owner_id", ownerId, "health", report));
        return publisher.publish(events.channel(), CloudEvent.of(McpServerEvents.SOURCE, HEALTH_CHANGED,
                report.serverId(), data)).onFailure().recoverWithNull();
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }


    private static String truncate(String error) {
        String text = error == null ? "unknown error" : error;
        return text.length() > 1000 ? text.substring(0, 1000) : text;
    }
}
