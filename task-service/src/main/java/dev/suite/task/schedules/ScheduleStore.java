package dev.suite.task.schedules;

import dev.suite.commons.db.JsonColumns;
import dev.suite.commons.db.Placeholders;
import dev.suite.commons.db.Times;
import dev.suite.task.schedules.dto.ScheduleResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code task_schedule} table, with the reactive SQL client. */
@ApplicationScoped
public class ScheduleStore {

    /** Read by position in {@link #view}: this order matters. */
    private static final String COLUMNS = "schedule_id, name, cron, time_zone, missed, enabled, template, next_run_at, "
            + "last_run_at, last_task_id, last_error, runs, skipped, created_at, updated_at, owner_id";

    private final Pool pool;
    private final JsonColumns columns;

    public ScheduleStore(Pool pool, JsonColumns columns) {
        this.pool = pool;
        this.columns = columns;
    }

    /** A schedule as stored, with its owner. */
    public record Stored(String ownerId, ScheduleResponse schedule) {
    }

    /** What one handled tick writes: the next tick, and whether this one made a task or why not. */
    public record Advance(String scheduleId, Instant nextRunAt, Instant ranAt, String taskId, String error) {
    }

    public Uni<Void> insert(String ownerId, ScheduleResponse s) {
        return pool.preparedQuery("INSERT INTO task_schedule (schedule_id, owner_id, name, cron, time_zone, missed, enabled, "
                        + "template, next_run_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .execute(Tuple.tuple().addString(s.scheduleId()).addString(ownerId).addString(s.name()).addString(s.cron())
                        .addString(s.timeZone()).addString(s.missed()).addBoolean(s.enabled())
                        .addString(columns.write(s.task())).addLocalDateTime(Times.column(s.nextRunAt()))
                        .addLocalDateTime(Times.column(s.createdAt())).addLocalDateTime(Times.column(s.updatedAt())))
                .replaceWithVoid();
    }

    /** Replaces what the owner sets; answers whether the schedule was theirs. The run counters stay. */
    public Uni<Boolean> replace(String ownerId, ScheduleResponse s) {
        return pool.preparedQuery("UPDATE task_schedule SET name = ?, cron = ?, time_zone = ?, missed = ?, enabled = ?, "
                        + "template = ?, next_run_at = ?, last_error = NULL, updated_at = ? WHERE schedule_id = ? AND owner_id = ?")
                .execute(Tuple.tuple().addString(s.name()).addString(s.cron()).addString(s.timeZone()).addString(s.missed())
                        .addBoolean(s.enabled()).addString(columns.write(s.task()))
                        .addLocalDateTime(Times.column(s.nextRunAt())).addLocalDateTime(Times.column(s.updatedAt()))
                        .addString(s.scheduleId()).addString(ownerId))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Boolean> delete(String ownerId, String scheduleId) {
        return pool.preparedQuery("DELETE FROM task_schedule WHERE schedule_id = ? AND owner_id = ?")
                .execute(Tuple.of(scheduleId, ownerId)).map(rows -> rows.rowCount() == 1);
    }

    public Uni<Optional<ScheduleResponse>> find(String ownerId, String scheduleId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM task_schedule WHERE schedule_id = ? AND owner_id = ?")
                .execute(Tuple.of(scheduleId, ownerId)).map(rows -> views(rows).stream().findFirst().map(Stored::schedule));
    }

    public Uni<List<ScheduleResponse>> page(String ownerId, String before, int fetch) {
        String after = before == null ? "" : " AND schedule_id < ?";
        Tuple params = Tuple.of(ownerId);
        if (before != null) {
            params.addString(before);
        }
        params.addInteger(fetch);
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM task_schedule WHERE owner_id = ?" + after
                        + " ORDER BY schedule_id DESC LIMIT ?").execute(params)
                .map(rows -> views(rows).stream().map(Stored::schedule).toList());
    }

    public Uni<Long> count(String ownerId) {
        return pool.preparedQuery("SELECT COUNT(*) FROM task_schedule WHERE owner_id = ?").execute(Tuple.of(ownerId))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Enabled schedules due before {@code until}, by id: what Redis must hold now. */
    public Uni<Map<String, Instant>> dueBefore(Instant until, int limit) {
        return pool.preparedQuery("SELECT schedule_id, next_run_at FROM task_schedule WHERE enabled = TRUE AND "
                        + "next_run_at < ? ORDER BY next_run_at LIMIT ?")
                .execute(Tuple.of(Times.column(until), limit)).map(rows -> {
                    Map<String, Instant> due = new LinkedHashMap<>();
                    rows.forEach(row -> due.put(row.getString(0), Times.instant(row.getLocalDateTime(1))));
                    return due;
                });
    }

    /** These schedules, locked until the transaction ends: one replica handles a tick at a time. */
    public Uni<List<Stored>> lock(SqlClient db, List<String> scheduleIds) {
        Tuple params = Tuple.tuple();
        scheduleIds.forEach(params::addString);
        return db.preparedQuery("SELECT " + COLUMNS + " FROM task_schedule WHERE schedule_id IN ("
                + Placeholders.of(scheduleIds.size()) + ") FOR UPDATE").execute(params).map(this::views);
    }

    /** Writes handled ticks, all in one statement. */
    public Uni<Void> advance(SqlClient db, List<Advance> ticks, Instant now) {
        if (ticks.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        StringBuilder values = new StringBuilder();
        Tuple params = Tuple.tuple();
        for (int i = 0; i < ticks.size(); i++) {
            Advance t = ticks.get(i);
            // The first row types the columns, whatever its values (a null would type them as text).
            values.append(i == 0 ? "SELECT ? AS id, CAST(? AS DATETIME(6)) AS next_at, CAST(? AS DATETIME(6)) AS ran_at, "
                    + "CAST(? AS CHAR(36)) AS task_id, CAST(? AS CHAR(500)) AS error"
                    : " UNION ALL SELECT ?, ?, ?, ?, ?");
            params.addString(t.scheduleId()).addLocalDateTime(Times.column(t.nextRunAt()))
                    .addLocalDateTime(Times.column(t.ranAt())).addString(t.taskId()).addString(t.error());
        }
        params.addLocalDateTime(Times.column(now));
        return db.preparedQuery("UPDATE task_schedule s JOIN (" + values + ") v ON s.schedule_id = v.id SET "
                        + "s.next_run_at = v.next_at, s.last_run_at = COALESCE(v.ran_at, s.last_run_at), "
                        + "s.last_task_id = COALESCE(v.task_id, s.last_task_id), s.last_error = v.error, "
                        + "s.runs = s.runs + (v.task_id IS NOT NULL), s.skipped = s.skipped + (v.task_id IS NULL), "
                        + "s.updated_at = ?")
                .execute(params).replaceWithVoid();
    }

    private List<Stored> views(RowSet<Row> rows) {
        List<Stored> out = new ArrayList<>();
        rows.forEach(row -> out.add(new Stored(row.getString(15), new ScheduleResponse(row.getString(0), row.getString(1),
                row.getString(2), row.getString(3), row.getString(4), row.getBoolean(5), columns.read(row.getString(6)),
                Times.instant(row.getLocalDateTime(7)), Times.instant(row.getLocalDateTime(8)), row.getString(9),
                row.getString(10), row.getLong(11), row.getLong(12), Times.instant(row.getLocalDateTime(13)),
                Times.instant(row.getLocalDateTime(14))))));
        return out;
    }
}
