package dev.suite.task.tasks;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.db.JsonColumns;
import dev.suite.commons.db.Placeholders;
import dev.suite.commons.db.Times;
import dev.suite.task.tasks.dto.TaskResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code task} table, with the reactive SQL client. Every state change goes through {@link #transition}. */
@ApplicationScoped
public class TaskStore {

    /** Read by position in {@link #view}: this order matters. */
    private static final String COLUMNS = "task_id, type, state, priority, params, input_file_ids, progress, attempts, "
            + "max_retries, timeout_seconds, result, error, parent_id, idempotency_key, requested, created_at, queued_at, "
            + "started_at, finished_at, run_after, updated_at, history, owner_id, checkpoint";

    private final Pool pool;
    private final ObjectMapper json;
    private final JsonColumns columns;

    public TaskStore(Pool pool, ObjectMapper json, JsonColumns columns) {
        this.pool = pool;
        this.json = json;
        this.columns = columns;
    }

    public Pool pool() {
        return pool;
    }

    /** A new task; {@code history} already holds its first transitions. */
    /** New tasks in one statement: all stored or none. */
    public Uni<Void> insertAll(SqlClient db, String ownerId, List<TaskResponse> tasks) {
        StringBuilder sql = new StringBuilder("INSERT INTO task (task_id, owner_id, type, state, priority, params, "
                + "input_file_ids, max_retries, timeout_seconds, idempotency_key, parent_id, history, created_at, queued_at, "
                + "updated_at) VALUES ");
        Tuple params = Tuple.tuple();
        for (int i = 0; i < tasks.size(); i++) {
            TaskResponse t = tasks.get(i);
            sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
            params.addString(t.taskId()).addString(ownerId).addString(t.type()).addString(t.state())
                    .addInteger(t.priority()).addString(columns.write(t.params())).addString(columns.write(json.valueToTree(t.inputFileIds())))
                    .addInteger(t.maxRetries()).addInteger(t.timeoutSeconds()).addString(t.idempotencyKey())
                    .addString(t.parentId()).addString(columns.write(t.history())).addLocalDateTime(Times.column(t.createdAt()))
                    .addLocalDateTime(Times.column(t.queuedAt())).addLocalDateTime(Times.column(t.updatedAt()));
        }
        return db.preparedQuery(sql.toString()).execute(params).replaceWithVoid();
    }

    public Uni<Optional<TaskResponse>> find(String ownerId, String taskId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM task WHERE task_id = ? AND owner_id = ?")
                .execute(Tuple.of(taskId, ownerId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(view(rows.iterator().next(), true)));
    }

    public Uni<Optional<TaskResponse>> byIdempotencyKey(String ownerId, String key) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM task WHERE owner_id = ? AND idempotency_key = ?")
                .execute(Tuple.of(ownerId, key))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(view(rows.iterator().next(), true)));
    }

    /** The owner's tasks with these idempotency keys, by key. */
    public Uni<Map<String, TaskResponse>> byIdempotencyKeys(String ownerId, List<String> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        Tuple params = Tuple.of(ownerId);
        keys.forEach(params::addString);
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM task WHERE owner_id = ? AND idempotency_key IN ("
                        + Placeholders.of(keys.size()) + ")")
                .execute(params).map(rows -> {
                    Map<String, TaskResponse> out = new HashMap<>();
                    rows.forEach(row -> {
                        TaskResponse task = view(row, true);
                        out.put(task.idempotencyKey(), task);
                    });
                    return out;
                });
    }

    /** Newest first, keyset-paged by id. */
    public Uni<List<TaskResponse>> page(String ownerId, String state, String type, String before, int fetch) {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM task WHERE owner_id = ?");
        Tuple params = Tuple.of(ownerId);
        if (state != null) {
            sql.append(" AND state = ?");
            params.addString(state);
        }
        if (type != null) {
            sql.append(" AND type = ?");
            params.addString(type);
        }
        if (before != null) {
            sql.append(" AND task_id < ?");
            params.addString(before);
        }
        sql.append(" ORDER BY task_id DESC LIMIT ?");
        params.addInteger(fetch);
        return pool.preparedQuery(sql.toString()).execute(params).map(rows -> {
            List<TaskResponse> out = new ArrayList<>();
            rows.forEach(row -> out.add(view(row, false)));
            return out;
        });
    }

    public Uni<Long> countActive(String ownerId) {
        return pool.preparedQuery("SELECT COUNT(*) FROM task WHERE owner_id = ? AND state IN ('IDLE', 'SELECTING_SOURCE', "
                        + "'SOURCE_SELECTED', 'READY', 'PROCESSING', 'PAUSED', 'RETRY_WAIT')")
                .execute(Tuple.of(ownerId)).map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * Moves a task from one of {@code from} to {@code to}, appending the transition to its history,
     * with the extra column values of {@code sets}; when {@code leaseOwner} is given, only while that
     * replica holds the lease. Answers whether the task moved.
     */
    public Uni<Boolean> transition(String taskId, Collection<TaskState> from, TaskState to, String reason,
            Instant now, Map<String, Object> sets, String leaseOwner) {
        return transition(taskId, from, to, reason, now, sets, leaseOwner, null);
    }

    /** As above, only while the lease expired before {@code leaseExpiredBefore} (when given). */
    public Uni<Boolean> transition(String taskId, Collection<TaskState> from, TaskState to, String reason,
            Instant now, Map<String, Object> sets, String leaseOwner, Instant leaseExpiredBefore) {
        StringBuilder sql = new StringBuilder("UPDATE task SET history = JSON_ARRAY_APPEND(history, '$', "
                + "JSON_OBJECT('from', state, 'to', ?, 'at', ?, 'reason', ?)), state = ?, updated_at = ?");
        Tuple params = Tuple.tuple().addString(to.name()).addString(now.toString()).addString(reason)
                .addString(to.name()).addLocalDateTime(Times.column(now));
        sets.forEach((column, value) -> {
            sql.append(", ").append(column).append(" = ?");
            params.addValue(value instanceof Instant instant ? Times.column(instant) : value);
        });
        sql.append(" WHERE task_id = ? AND state IN (").append(Placeholders.of(from.size())).append(")");
        params.addString(taskId);
        from.forEach(state -> params.addString(state.name()));
        if (leaseOwner != null) {
            sql.append(" AND lease_owner = ?");
            params.addString(leaseOwner);
        }
        if (leaseExpiredBefore != null) {
            sql.append(" AND lease_until < ?");
            params.addLocalDateTime(Times.column(leaseExpiredBefore));
        }
        return pool.preparedQuery(sql.toString()).execute(params).map(rows -> rows.rowCount() > 0);
    }

    /** Takes the READY ones of {@code ids} for this replica: PROCESSING, one attempt more, leased until {@code until}. */
    public Uni<List<Task>> claim(List<String> ids, String replica, Instant now, Instant until) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Tuple update = Tuple.tuple().addString(now.toString()).addLocalDateTime(Times.column(now)).addString(replica)
                .addLocalDateTime(Times.column(until)).addLocalDateTime(Times.column(now));
        ids.forEach(update::addString);
        Tuple select = Tuple.of(replica);
        ids.forEach(select::addString);
        return pool.preparedQuery("UPDATE task SET history = JSON_ARRAY_APPEND(history, '$', JSON_OBJECT('from', state, "
                        + "'to', 'PROCESSING', 'at', ?, 'reason', 'claimed')), state = 'PROCESSING', attempts = attempts + 1, "
                        + "started_at = ?, lease_owner = ?, lease_until = ?, updated_at = ?, error = NULL "
                        + "WHERE task_id IN (" + Placeholders.of(ids.size()) + ") AND state = 'READY'")
                .execute(update)
                .chain(() -> pool.preparedQuery("SELECT " + COLUMNS + " FROM task WHERE lease_owner = ? AND state = 'PROCESSING' "
                        + "AND task_id IN (" + Placeholders.of(ids.size()) + ")").execute(select))
                .map(rows -> {
                    List<Task> out = new ArrayList<>();
                    rows.forEach(row -> out.add(task(row)));
                    return out;
                });
    }

    /** Extends this replica's leases; answers the cancel or pause requested of any of them. */
    public Uni<Map<String, String>> heartbeat(Collection<String> ids, String replica, Instant until) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        Tuple update = Tuple.tuple().addLocalDateTime(Times.column(until)).addString(replica);
        ids.forEach(update::addString);
        Tuple select = Tuple.of(replica);
        ids.forEach(select::addString);
        return pool.preparedQuery("UPDATE task SET lease_until = ? WHERE lease_owner = ? AND state = 'PROCESSING' "
                        + "AND task_id IN (" + Placeholders.of(ids.size()) + ")").execute(update)
                .chain(() -> pool.preparedQuery("SELECT task_id, requested FROM task WHERE lease_owner = ? "
                        + "AND requested IS NOT NULL AND task_id IN (" + Placeholders.of(ids.size()) + ")").execute(select))
                .map(rows -> {
                    Map<String, String> out = new LinkedHashMap<>();
                    rows.forEach(row -> out.put(row.getString(0), row.getString(1)));
                    return out;
                });
    }

    public Uni<Void> progress(String taskId, String replica, int progress) {
        return pool.preparedQuery("UPDATE task SET progress = ? WHERE task_id = ? AND lease_owner = ? AND state = 'PROCESSING'")
                .execute(Tuple.of(progress, taskId, replica)).replaceWithVoid();
    }

    public Uni<Void> saveCheckpoint(String taskId, String replica, JsonNode checkpoint) {
        return pool.preparedQuery("UPDATE task SET checkpoint = ? WHERE task_id = ? AND lease_owner = ?")
                .execute(Tuple.of(columns.write(checkpoint), taskId, replica)).replaceWithVoid();
    }

    /** Asks the worker running the task to cancel or pause it. */
    public Uni<Boolean> request(String ownerId, String taskId, String what) {
        return pool.preparedQuery("UPDATE task SET requested = ? WHERE task_id = ? AND owner_id = ? AND state = 'PROCESSING'")
                .execute(Tuple.of(what, taskId, ownerId)).map(rows -> rows.rowCount() > 0);
    }

    /** Running tasks whose lease ran out: their replica died or stalled. */
    public Uni<List<Task>> expiredLeases(Instant now, int limit) {
        return tasks("SELECT " + COLUMNS + " FROM task WHERE state = 'PROCESSING' AND lease_until < ? LIMIT ?",
                Tuple.of(Times.column(now), limit));
    }

    public Uni<List<Task>> dueRetries(Instant now, int limit) {
        return tasks("SELECT " + COLUMNS + " FROM task WHERE state = 'RETRY_WAIT' AND run_after <= ? LIMIT ?",
                Tuple.of(Times.column(now), limit));
    }

    /** READY tasks queued before {@code before}: in Redis unless Redis lost them. */
    public Uni<List<Task>> waitingSince(Instant before, int limit) {
        return tasks("SELECT " + COLUMNS + " FROM task WHERE state = 'READY' AND queued_at < ? ORDER BY queued_at LIMIT ?",
                Tuple.of(Times.column(before), limit));
    }

    public Uni<List<TaskResponse>> children(String parentId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM task WHERE parent_id = ? ORDER BY task_id")
                .execute(Tuple.of(parentId)).map(rows -> {
                    List<TaskResponse> out = new ArrayList<>();
                    rows.forEach(row -> out.add(view(row, false)));
                    return out;
                });
    }

    private Uni<List<Task>> tasks(String sql, Tuple params) {
        return pool.preparedQuery(sql).execute(params).map(rows -> {
            List<Task> out = new ArrayList<>();
            rows.forEach(row -> out.add(task(row)));
            return out;
        });
    }

    private TaskResponse view(Row row, boolean withHistory) {
        return new TaskResponse(row.getString(0), row.getString(1), row.getString(2), row.getInteger(3),
                columns.read(row.getString(4)), ids(row.getString(5)), row.getInteger(6), row.getInteger(7), row.getInteger(8),
                row.getInteger(9), columns.read(row.getString(10)), row.getString(11), row.getString(12), row.getString(13),
                row.getString(14), Times.instant(row.getLocalDateTime(15)), Times.instant(row.getLocalDateTime(16)),
                Times.instant(row.getLocalDateTime(17)), Times.instant(row.getLocalDateTime(18)), Times.instant(row.getLocalDateTime(19)),
                Times.instant(row.getLocalDateTime(20)), withHistory ? columns.read(row.getString(21)) : null);
    }

    private Task task(Row row) {
        return new Task(row.getString(0), row.getString(22), row.getString(1), TaskState.valueOf(row.getString(2)),
                row.getInteger(3), columns.read(row.getString(4)), ids(row.getString(5)), row.getInteger(7), row.getInteger(8),
                row.getInteger(9), columns.read(row.getString(23)), row.getString(12), row.getString(14),
                Times.instant(row.getLocalDateTime(16)));
    }

    private List<String> ids(String column) {
        if (column == null) {
            return List.of();
        }
        try {
            return json.readValue(column, new TypeReference<List<String>>() { });
        } catch (Exception e) {
            throw new IllegalStateException("stored input_file_ids are not a JSON array", e);
        }
    }

}
