package dev.suite.task.tasks;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.suite.commons.db.JsonColumns;
import dev.suite.commons.db.MySqlErrors;
import dev.suite.commons.db.Placeholders;
import dev.suite.commons.db.Times;
import dev.suite.task.tasks.dto.TaskResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The {@code task} table and its {@code task_transition} rows, with the reactive SQL client. Every
 * state change appends its transition in the same transaction; writes that come in numbers
 * (creates, claims, outcomes) take many tasks per statement.
 */
@ApplicationScoped
public class TaskStore {

    /** Read by position in {@link #view} and {@link #task}: this order matters. */
    private static final String COLUMNS = "task_id, type, state, priority, params, input_file_ids, progress, attempts, "
            + "max_retries, timeout_seconds, result, error, parent_id, idempotency_key, requested, created_at, queued_at, "
            + "started_at, finished_at, run_after, updated_at, owner_id, checkpoint, unique_key, unique_until, "
            + "schedule_id, scheduled_for, trace_parent";
    /** {@link #COLUMNS} of a join's {@code task t}. */
    private static final String COLUMNS_OF_T = Arrays.stream(COLUMNS.split(", ")).map(c -> "t." + c)
            .collect(Collectors.joining(", "));

    private final Pool pool;
    private final ObjectMapper json;
    private final JsonColumns columns;

    public TaskStore(Pool pool, ObjectMapper json, JsonColumns columns) {
        this.pool = pool;
        this.json = json;
        this.columns = columns;
    }

    /** A task about to be stored, with the transitions that led to its first state. */
    /** @param traceParent the creating request's trace, or null */
    public record NewTask(String ownerId, TaskResponse task, List<Transition> transitions, String traceParent) {
    }

    /** One line of a task's history. */
    public record Transition(String taskId, TaskState from, TaskState to, Instant at, String reason) {
    }

    /**
     * A move from a known state, with the extra column values of {@code sets}; when
     * {@code leaseOwner} is given, only while that replica holds the lease.
     */
    public record Move(String taskId, TaskState from, TaskState to, String reason, Instant at, Map<String, Object> sets,
            String leaseOwner) {

        Transition transition() {
            return new Transition(taskId, from, to, at, reason);
        }
    }

    /**
     * New tasks, of any owners, in one transaction: all stored or none. A task with a unique key
     * first claims it; one whose key is held by a task whose window is still open is not stored, and
     * the answer maps its id to the holder's (which may be another task of this same transaction).
     */
    public Uni<Map<String, String>> insertAll(List<NewTask> tasks) {
        return pool.withTransaction(db -> insertAll(db, tasks));
    }

    /** {@link #insertAll(List)} within a transaction the caller holds. */
    public Uni<Map<String, String>> insertAll(SqlClient db, List<NewTask> tasks) {
        List<NewTask> unique = tasks.stream().filter(t -> t.task().uniqueKey() != null).toList();
        return claim(db, unique).chain(held -> {
            List<NewTask> stored = tasks.stream().filter(t -> !held.containsKey(t.task().taskId())).toList();
            return stored.isEmpty() ? Uni.createFrom().item(held) : insertRows(db, stored).replaceWith(held);
        });
    }

    /** Claims the unique keys of {@code tasks}; answers the tasks that lost theirs, mapped to the holders. */
    private Uni<Map<String, String>> claim(SqlClient db, List<NewTask> tasks) {
        if (tasks.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        Instant now = tasks.get(0).task().createdAt();
        StringBuilder sql = new StringBuilder("INSERT INTO task_unique (owner_id, unique_key, task_id, until) VALUES ");
        Tuple params = Tuple.tuple();
        for (int i = 0; i < tasks.size(); i++) {
            TaskResponse t = tasks.get(i).task();
            sql.append(i == 0 ? "" : ",").append("(?,?,?,?)");
            params.addString(tasks.get(i).ownerId()).addString(t.uniqueKey()).addString(t.taskId())
                    .addLocalDateTime(Times.column(t.uniqueUntil()));
        }
        // An expired claim is taken over; a live one stays. task_id is set before until, so its test
        // still reads the old until.
        sql.append(" ON DUPLICATE KEY UPDATE task_id = IF(until <= ?, VALUES(task_id), task_id), "
                + "until = IF(until <= ?, VALUES(until), until)");
        params.addLocalDateTime(Times.column(now)).addLocalDateTime(Times.column(now));
        Tuple keys = Tuple.tuple();
        StringBuilder which = new StringBuilder();
        for (int i = 0; i < tasks.size(); i++) {
            which.append(i == 0 ? "" : " OR ").append("(owner_id = ? AND unique_key = ?)");
            keys.addString(tasks.get(i).ownerId()).addString(tasks.get(i).task().uniqueKey());
        }
        return db.preparedQuery(sql.toString()).execute(params)
                .chain(() -> db.preparedQuery("SELECT owner_id, unique_key, task_id FROM task_unique WHERE " + which)
                        .execute(keys))
                .map(rows -> {
                    Map<String, String> holders = new HashMap<>();
                    rows.forEach(row -> holders.put(row.getString(0) + "\n" + row.getString(1), row.getString(2)));
                    Map<String, String> lost = new HashMap<>();
                    for (NewTask t : tasks) {
                        String holder = holders.get(t.ownerId() + "\n" + t.task().uniqueKey());
                        if (!t.task().taskId().equals(holder)) {
                            lost.put(t.task().taskId(), holder);
                        }
                    }
                    return lost;
                });
    }

    private Uni<Void> insertRows(SqlClient db, List<NewTask> tasks) {
        StringBuilder sql = new StringBuilder("INSERT INTO task (task_id, owner_id, type, state, priority, params, "
                + "input_file_ids, max_retries, timeout_seconds, idempotency_key, unique_key, unique_until, parent_id, "
                + "schedule_id, scheduled_for, created_at, queued_at, run_after, updated_at, trace_parent) VALUES ");
        Tuple params = Tuple.tuple();
        List<Transition> transitions = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            TaskResponse t = tasks.get(i).task();
            sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
            params.addString(t.taskId()).addString(tasks.get(i).ownerId()).addString(t.type()).addString(t.state())
                    .addInteger(t.priority()).addString(columns.write(t.params()))
                    .addString(columns.write(json.valueToTree(t.inputFileIds()))).addInteger(t.maxRetries())
                    .addInteger(t.timeoutSeconds()).addString(t.idempotencyKey()).addString(t.uniqueKey())
                    .addLocalDateTime(Times.column(t.uniqueUntil())).addString(t.parentId()).addString(t.scheduleId())
                    .addLocalDateTime(Times.column(t.scheduledFor()))
                    .addLocalDateTime(Times.column(t.createdAt())).addLocalDateTime(Times.column(t.queuedAt()))
                    .addLocalDateTime(Times.column(t.runAfter())).addLocalDateTime(Times.column(t.updatedAt()))
                    .addString(tasks.get(i).traceParent());
            transitions.addAll(tasks.get(i).transitions());
        }
        return db.preparedQuery(sql.toString()).execute(params).chain(() -> append(db, transitions));
    }

    /** The owner's task holding {@code key} while its window is open at {@code now}. */
    public Uni<Optional<TaskResponse>> byUniqueKey(String ownerId, String key, Instant now) {
        return withHistories(pool.preparedQuery("SELECT " + COLUMNS_OF_T + " FROM task_unique u JOIN task t ON "
                        + "t.task_id = u.task_id WHERE u.owner_id = ? AND u.unique_key = ? AND u.until > ?")
                .execute(Tuple.of(ownerId, key, Times.column(now)))).map(found -> found.stream().findFirst());
    }

    /** Drops up to {@code limit} claims whose window closed before {@code now}; answers how many. */
    public Uni<Integer> sweepUniqueKeys(Instant now, int limit) {
        return pool.preparedQuery("DELETE FROM task_unique WHERE until <= ? LIMIT " + limit)
                .execute(Tuple.of(Times.column(now))).map(RowSet::rowCount);
    }

    public Uni<Optional<TaskResponse>> find(String ownerId, String taskId) {
        return withHistories(pool.preparedQuery("SELECT " + COLUMNS + " FROM task WHERE task_id = ? AND owner_id = ?")
                .execute(Tuple.of(taskId, ownerId))).map(found -> found.stream().findFirst());
    }

    public Uni<Optional<TaskResponse>> byIdempotencyKey(String ownerId, String key) {
        return withHistories(pool.preparedQuery("SELECT " + COLUMNS + " FROM task WHERE owner_id = ? AND idempotency_key = ?")
                .execute(Tuple.of(ownerId, key))).map(found -> found.stream().findFirst());
    }

    /** The owner's tasks with these idempotency keys, by key. */
    public Uni<Map<String, TaskResponse>> byIdempotencyKeys(String ownerId, List<String> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        Tuple params = Tuple.of(ownerId);
        keys.forEach(params::addString);
        return withHistories(pool.preparedQuery("SELECT " + COLUMNS + " FROM task WHERE owner_id = ? AND idempotency_key IN ("
                        + Placeholders.of(keys.size()) + ")").execute(params))
                .map(tasks -> {
                    Map<String, TaskResponse> out = new HashMap<>();
                    tasks.forEach(task -> out.put(task.idempotencyKey(), task));
                    return out;
                });
    }

    /** Which of these ids are the owner's tasks. */
    public Uni<Set<String>> ownedIds(String ownerId, List<String> taskIds) {
        if (taskIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        Tuple params = Tuple.of(ownerId);
        taskIds.forEach(params::addString);
        return pool.preparedQuery("SELECT task_id FROM task WHERE owner_id = ? AND task_id IN ("
                        + Placeholders.of(taskIds.size()) + ")").execute(params)
                .map(rows -> {
                    Set<String> out = new HashSet<>();
                    rows.forEach(row -> out.add(row.getString(0)));
                    return out;
                });
    }

    /** The owner's tasks of these ids, by id; ids of other owners' tasks are simply missing. */
    public Uni<Map<String, TaskResponse>> findAll(String ownerId, List<String> taskIds) {
        Tuple params = Tuple.of(ownerId);
        taskIds.forEach(params::addString);
        return withHistories(pool.preparedQuery("SELECT " + COLUMNS + " FROM task WHERE owner_id = ? AND task_id IN ("
                        + Placeholders.of(taskIds.size()) + ")").execute(params))
                .map(tasks -> {
                    Map<String, TaskResponse> out = new HashMap<>();
                    tasks.forEach(task -> out.put(task.taskId(), task));
                    return out;
                });
    }

    /** Sets the priority of the owner's task if it is in one of {@code states}; answers whether it was. */
    public Uni<Boolean> reprioritize(String ownerId, String taskId, Set<TaskState> states, int priority, Instant now) {
        Tuple params = Tuple.of(priority, Times.column(now), taskId, ownerId);
        states.forEach(state -> params.addString(state.name()));
        return pool.preparedQuery("UPDATE task SET priority = ?, updated_at = ? WHERE task_id = ? AND owner_id = ? AND state IN ("
                        + Placeholders.of(states.size()) + ")")
                .execute(params).map(rows -> rows.rowCount() > 0);
    }

    /** The tasks of these rows, each with its history (one more query for them all). */
    private Uni<List<TaskResponse>> withHistories(Uni<RowSet<Row>> query) {
        return query.chain(rows -> {
            if (rows.size() == 0) {
                return Uni.createFrom().item(List.<TaskResponse>of());
            }
            List<Row> found = new ArrayList<>();
            rows.forEach(found::add);
            Tuple ids = Tuple.tuple();
            found.forEach(row -> ids.addString(row.getString(0)));
            return pool.preparedQuery("SELECT task_id, from_state, to_state, at, reason FROM task_transition "
                            + "WHERE task_id IN (" + Placeholders.of(found.size()) + ") ORDER BY task_id, id")
                    .execute(ids).map(lines -> {
                        Map<String, ArrayNode> histories = new HashMap<>();
                        lines.forEach(line -> histories.computeIfAbsent(line.getString(0), id -> json.createArrayNode())
                                .addObject().put("from", line.getString(1)).put("to", line.getString(2))
                                .put("at", Times.instant(line.getLocalDateTime(3)).toString()).put("reason", line.getString(4)));
                        return found.stream().map(row -> view(row,
                                histories.getOrDefault(row.getString(0), json.createArrayNode()))).toList();
                    });
        });
    }

    public Uni<List<TaskResponse>> page(String ownerId, String state, String type, String scheduleId, String before, int fetch) {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM task WHERE owner_id = ?");
        Tuple params = Tuple.of(ownerId);
        if (scheduleId != null) {
            sql.append(" AND schedule_id = ?");
            params.addString(scheduleId);
        }
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
            rows.forEach(row -> out.add(view(row, null)));
            return out;
        });
    }

    /** The owner's unfinished tasks, counted up to {@code max}: a deep backlog costs no more than the quota. */
    public Uni<Long> countActive(String ownerId, int max) {
        return pool.preparedQuery("SELECT COUNT(*) FROM (SELECT 1 FROM task WHERE owner_id = ? AND state IN ('IDLE', "
                        + "'SELECTING_SOURCE', 'SOURCE_SELECTED', 'SCHEDULED', 'READY', 'PROCESSING', 'PAUSED', 'RETRY_WAIT') LIMIT ?) active")
                .execute(Tuple.of(ownerId, max)).map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * Moves a task from one of {@code from} to {@code to}, appending the transition, with the extra
     * column values of {@code sets}; when {@code leaseOwner} is given, only while that replica holds
     * the lease; when {@code leaseExpiredBefore} is given, only while the lease expired before it.
     * Answers whether the task moved.
     */
    public Uni<Boolean> transition(String taskId, Collection<TaskState> from, TaskState to, String reason,
            Instant now, Map<String, Object> sets, String leaseOwner, Instant leaseExpiredBefore) {
        // The state it leaves is read under the row's lock, so the transition names it truly.
        return pool.withTransaction(db -> db.preparedQuery("SELECT state FROM task WHERE task_id = ? FOR UPDATE")
                .execute(Tuple.of(taskId))
                .chain(rows -> {
                    TaskState current = rows.size() == 0 ? null : TaskState.valueOf(rows.iterator().next().getString(0));
                    if (current == null || !from.contains(current)) {
                        return Uni.createFrom().item(false);
                    }
                    Move move = new Move(taskId, current, to, reason, now, sets, leaseOwner);
                    Statement update = Statement.of(move, leaseExpiredBefore);
                    return db.preparedQuery(update.sql()).execute(update.params()).chain(moved -> moved.rowCount() == 0
                            ? Uni.createFrom().item(false)
                            : append(db, List.of(move.transition())).replaceWith(true));
                }));
    }

    public Uni<Boolean> transition(String taskId, Collection<TaskState> from, TaskState to, String reason,
            Instant now, Map<String, Object> sets, String leaseOwner) {
        return transition(taskId, from, to, reason, now, sets, leaseOwner, null);
    }

    /**
     * Makes many moves in one transaction (the outcomes of runs that ended together); answers, in
     * order, whether each task moved. Moves of the same shape go in one batch of executions.
     */
    public Uni<List<Boolean>> moveAll(List<Move> moves) {
        // Rows are locked in id order, the order every other multi-row statement here takes them in,
        // so two transactions never wait for each other in a cycle.
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < moves.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(i -> moves.get(i).taskId()));
        List<Statement> statements = moves.stream().map(move -> Statement.of(move, null)).toList();
        // Consecutive moves of the same shape go in one batch of executions.
        List<List<Integer>> runs = new ArrayList<>();
        for (int i : order) {
            List<Integer> last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (last != null && statements.get(last.get(0)).sql().equals(statements.get(i).sql())) {
                last.add(i);
            } else {
                runs.add(new ArrayList<>(List.of(i)));
            }
        }
        Boolean[] moved = new Boolean[moves.size()];
        return retriedOnDeadlock(() -> pool.withTransaction(db -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (List<Integer> run : runs) {
                List<Tuple> batch = run.stream().map(i -> statements.get(i).params()).toList();
                chain = chain.chain(() -> db.preparedQuery(statements.get(run.get(0)).sql()).executeBatch(batch).invoke(rows -> {
                    RowSet<Row> each = rows;
                    for (int i : run) {
                        moved[i] = each.rowCount() > 0;
                        each = each.next();
                    }
                }).replaceWithVoid());
            }
            return chain.chain(() -> {
                List<Transition> lines = new ArrayList<>();
                for (int i : order) {
                    if (moved[i]) {
                        lines.add(moves.get(i).transition());
                    }
                }
                return append(db, lines);
            });
        })).map(done -> List.of(moved));
    }

    /**
     * A transaction InnoDB rolled back to break a lock cycle wrote nothing: run it again, a few
     * times, rather than leave its tasks to the lease reaper.
     */
    private static <T> Uni<T> retriedOnDeadlock(Supplier<Uni<T>> transaction) {
        return Uni.createFrom().<T>deferred(() -> transaction.get()).onFailure(MySqlErrors::isDeadlock).retry().atMost(3);
    }

    /** An UPDATE of one move, with its parameters. */
    private record Statement(String sql, Tuple params) {

        static Statement of(Move move, Instant leaseExpiredBefore) {
            // By primary key, never a range of the state index, so only this row is locked.
            StringBuilder sql = new StringBuilder("UPDATE task FORCE INDEX (PRIMARY) SET state = ?, updated_at = ?");
            Tuple params = Tuple.tuple().addString(move.to().name()).addLocalDateTime(Times.column(move.at()));
            move.sets().forEach((column, value) -> {
                sql.append(", ").append(column).append(" = ?");
                params.addValue(value instanceof Instant instant ? Times.column(instant) : value);
            });
            sql.append(" WHERE task_id = ? AND state = ?");
            params.addString(move.taskId()).addString(move.from().name());
            if (move.leaseOwner() != null) {
                sql.append(" AND lease_owner = ?");
                params.addString(move.leaseOwner());
            }
            if (leaseExpiredBefore != null) {
                sql.append(" AND lease_until < ?");
                params.addLocalDateTime(Times.column(leaseExpiredBefore));
            }
            return new Statement(sql.toString(), params);
        }
    }

    /** Appends history lines in one statement. */
    private static Uni<Void> append(SqlClient db, List<Transition> lines) {
        if (lines.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Tuple params = Tuple.tuple();
        for (Transition line : lines) {
            params.addString(line.taskId()).addString(line.from() == null ? null : line.from().name())
                    .addString(line.to().name()).addLocalDateTime(Times.column(line.at())).addString(line.reason());
        }
        return db.preparedQuery("INSERT INTO task_transition (task_id, from_state, to_state, at, reason) VALUES "
                + String.join(",", Collections.nCopies(lines.size(), "(?,?,?,?,?)"))).execute(params).replaceWithVoid();
    }

    /**
     * Takes the READY ones of {@code ids} for this replica — PROCESSING, one attempt more, leased
     * until {@code until} — in one transaction with their transitions.
     */
    public Uni<List<Task>> claim(List<String> ids, String replica, Instant now, Instant until) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Tuple update = Tuple.tuple().addLocalDateTime(Times.column(now)).addString(replica)
                .addLocalDateTime(Times.column(until)).addLocalDateTime(Times.column(now));
        ids.forEach(update::addString);
        // started_at tells this claim's tasks from any this replica already runs.
        Tuple select = Tuple.of(replica, Times.column(now));
        ids.forEach(select::addString);
        // By primary key: the state index would lock the range of every READY task, new ones included.
        return retriedOnDeadlock(() -> pool.withTransaction(db -> db.preparedQuery("UPDATE task FORCE INDEX (PRIMARY) "
                        + "SET state = 'PROCESSING', attempts = attempts + 1, "
                        + "started_at = ?, lease_owner = ?, lease_until = ?, updated_at = ?, error = NULL "
                        + "WHERE task_id IN (" + Placeholders.of(ids.size()) + ") AND state = 'READY'")
                .execute(update)
                .chain(() -> db.preparedQuery("SELECT " + COLUMNS + " FROM task FORCE INDEX (PRIMARY) WHERE lease_owner = ? "
                        + "AND state = 'PROCESSING' AND started_at = ? AND task_id IN (" + Placeholders.of(ids.size()) + ")")
                        .execute(select))
                .chain(rows -> {
                    List<Task> out = new ArrayList<>();
                    rows.forEach(row -> out.add(task(row)));
                    return append(db, out.stream().map(t -> new Transition(t.taskId(), TaskState.READY, TaskState.PROCESSING,
                            now, "claimed")).toList()).replaceWith(out);
                })));
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
        return pool.preparedQuery("UPDATE task FORCE INDEX (PRIMARY) SET lease_until = ? WHERE lease_owner = ? "
                        + "AND state = 'PROCESSING' AND task_id IN (" + Placeholders.of(ids.size()) + ")").execute(update)
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

    /** Tasks whose wait is over: a retry's backoff, or a scheduled start. */
    public Uni<List<Task>> due(Instant now, int limit) {
        return tasks("SELECT " + COLUMNS + " FROM task WHERE state IN ('RETRY_WAIT', 'SCHEDULED') AND run_after <= ? LIMIT ?",
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
                    rows.forEach(row -> out.add(view(row, null)));
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

    private TaskResponse view(Row row, JsonNode history) {
        return new TaskResponse(row.getString(0), row.getString(1), row.getString(2), row.getInteger(3),
                columns.read(row.getString(4)), ids(row.getString(5)), row.getInteger(6), row.getInteger(7), row.getInteger(8),
                row.getInteger(9), columns.read(row.getString(10)), row.getString(11), row.getString(12), row.getString(25),
                Times.instant(row.getLocalDateTime(26)), row.getString(13), row.getString(23), Times.instant(row.getLocalDateTime(24)), row.getString(14),
                Times.instant(row.getLocalDateTime(15)), Times.instant(row.getLocalDateTime(16)), Times.instant(row.getLocalDateTime(17)), Times.instant(row.getLocalDateTime(18)), Times.instant(row.getLocalDateTime(19)),
                Times.instant(row.getLocalDateTime(20)), history);
    }

    private Task task(Row row) {
        return new Task(row.getString(0), row.getString(21), row.getString(1), TaskState.valueOf(row.getString(2)),
                row.getInteger(3), columns.read(row.getString(4)), ids(row.getString(5)), row.getInteger(7), row.getInteger(8),
                row.getInteger(9), columns.read(row.getString(22)), row.getString(12), row.getString(14),
                Times.instant(row.getLocalDateTime(16)), row.getString(27));
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
