package dev.suite.workflow.triggers;

import dev.suite.commons.db.JsonColumns;
import dev.suite.commons.db.Placeholders;
import dev.suite.commons.db.Times;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code workflow_trigger} table, with the reactive SQL client. */
@ApplicationScoped
public class TriggerStore {

    /** Read by position in {@link #trigger}: this order matters. */
    private static final String COLUMNS = "trigger_id, owner_id, workflow_id, workflow_version, kind, name, enabled, priority, "
            + "inputs, cron, time_zone, missed, next_run_at, secret, respond_within_ms, event_type, event_filter, caller_auth, "
            + "last_fired_at, last_execution_id, last_error, fires, created_at, updated_at";

    private final Pool pool;
    private final JsonColumns columns;

    public TriggerStore(Pool pool, JsonColumns columns) {
        this.pool = pool;
        this.columns = columns;
    }

    public Uni<Void> insert(Trigger t) {
        return pool.preparedQuery("INSERT INTO workflow_trigger (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                        + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .execute(settable(t).addLocalDateTime(Times.column(t.lastFiredAt())).addString(t.lastExecutionId())
                        .addString(t.lastError()).addLong(t.fires()).addLocalDateTime(Times.column(t.createdAt()))
                        .addLocalDateTime(Times.column(t.updatedAt())))
                .replaceWithVoid();
    }

    /** Replaces what the owner sets; answers whether the trigger was theirs. The firing record stays. */
    public Uni<Boolean> replace(Trigger t) {
        return pool.preparedQuery("UPDATE workflow_trigger SET trigger_id = ?, owner_id = ?, workflow_id = ?, workflow_version = ?, "
                        + "kind = ?, name = ?, enabled = ?, priority = ?, inputs = ?, cron = ?, time_zone = ?, missed = ?, "
                        + "next_run_at = ?, secret = ?, respond_within_ms = ?, event_type = ?, event_filter = ?, caller_auth = ?, "
                        + "last_error = NULL, updated_at = ? WHERE trigger_id = ? AND owner_id = ? AND workflow_id = ?")
                .execute(settable(t).addLocalDateTime(Times.column(t.updatedAt())).addString(t.triggerId())
                        .addString(t.ownerId()).addString(t.workflowId()))
                .map(rows -> rows.rowCount() == 1);
    }

    private Tuple settable(Trigger t) {
        return Tuple.tuple().addString(t.triggerId()).addString(t.ownerId()).addString(t.workflowId()).addInteger(t.version())
                .addString(t.kind()).addString(t.name()).addBoolean(t.enabled()).addInteger(t.priority())
                .addString(columns.write(t.inputs())).addString(t.cron()).addString(t.timeZone()).addString(t.missed())
                .addLocalDateTime(Times.column(t.nextRunAt())).addString(t.sealedSecret()).addInteger(t.respondWithinMs())
                .addString(t.eventType()).addString(columns.write(t.filter())).addString(t.sealedCallerAuth());
    }

    public Uni<Boolean> delete(String ownerId, String workflowId, String triggerId) {
        return pool.preparedQuery("DELETE FROM workflow_trigger WHERE trigger_id = ? AND owner_id = ? AND workflow_id = ?")
                .execute(Tuple.of(triggerId, ownerId, workflowId)).map(rows -> rows.rowCount() == 1);
    }

    public Uni<Optional<Trigger>> find(String ownerId, String workflowId, String triggerId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM workflow_trigger WHERE trigger_id = ? AND owner_id = ? AND workflow_id = ?")
                .execute(Tuple.of(triggerId, ownerId, workflowId)).map(rows -> triggers(rows).stream().findFirst());
    }

    /** A trigger by its id alone: a webhook call names no user, and a due schedule is fired for its owner. */
    public Uni<Optional<Trigger>> byId(String triggerId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM workflow_trigger WHERE trigger_id = ?")
                .execute(Tuple.of(triggerId)).map(rows -> triggers(rows).stream().findFirst());
    }

    public Uni<List<Trigger>> byIds(List<String> triggerIds) {
        Tuple params = Tuple.tuple();
        triggerIds.forEach(params::addString);
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM workflow_trigger WHERE trigger_id IN ("
                + Placeholders.of(triggerIds.size()) + ")").execute(params).map(this::triggers);
    }

    public Uni<List<Trigger>> ofWorkflow(String ownerId, String workflowId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM workflow_trigger WHERE owner_id = ? AND workflow_id = ? "
                        + "ORDER BY trigger_id").execute(Tuple.of(ownerId, workflowId)).map(this::triggers);
    }

    public Uni<Long> count(String ownerId) {
        return pool.preparedQuery("SELECT COUNT(*) FROM workflow_trigger WHERE owner_id = ?").execute(Tuple.of(ownerId))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Every enabled event trigger: what the replicas match events against, in memory. */
    public Uni<List<Trigger>> eventTriggers() {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM workflow_trigger WHERE kind = 'event' AND enabled = TRUE")
                .execute().map(this::triggers);
    }

    /** Enabled schedules due before {@code until}, by id: what Redis must hold now. */
    public Uni<Map<String, Instant>> dueBefore(Instant until, int limit) {
        return pool.preparedQuery("SELECT trigger_id, next_run_at FROM workflow_trigger WHERE enabled = TRUE AND "
                        + "next_run_at < ? ORDER BY next_run_at LIMIT ?")
                .execute(Tuple.of(Times.column(until), limit)).map(rows -> {
                    Map<String, Instant> due = new LinkedHashMap<>();
                    rows.forEach(row -> due.put(row.getString(0), Times.instant(row.getLocalDateTime(1))));
                    return due;
                });
    }

    /** Moves a schedule from the tick it was due at to its next one; false when someone did already. */
    public Uni<Boolean> advance(String triggerId, Instant tick, Instant next) {
        return pool.preparedQuery("UPDATE workflow_trigger SET next_run_at = ? WHERE trigger_id = ? AND next_run_at = ?")
                .execute(Tuple.of(Times.column(next), triggerId, Times.column(tick))).map(rows -> rows.rowCount() == 1);
    }

    /** Records a firing: the execution it started, or why it started none. */
    public Uni<Void> fired(String triggerId, Instant at, String executionId, String error) {
        return pool.preparedQuery("UPDATE workflow_trigger SET last_fired_at = ?, last_execution_id = COALESCE(?, last_execution_id), "
                        + "last_error = ?, fires = fires + (? IS NOT NULL) WHERE trigger_id = ?")
                .execute(Tuple.tuple().addLocalDateTime(Times.column(at)).addString(executionId).addString(error)
                        .addString(executionId).addString(triggerId))
                .replaceWithVoid();
    }

    private List<Trigger> triggers(RowSet<Row> rows) {
        List<Trigger> out = new ArrayList<>();
        rows.forEach(row -> out.add(trigger(row)));
        return out;
    }

    private Trigger trigger(Row row) {
        return new Trigger(row.getString(0), row.getString(1), row.getString(2), row.getInteger(3), row.getString(4),
                row.getString(5), row.getBoolean(6), row.getInteger(7), columns.read(row.getString(8)), row.getString(9),
                row.getString(10), row.getString(11), Times.instant(row.getLocalDateTime(12)), row.getString(13),
                row.getInteger(14), row.getString(15), columns.read(row.getString(16)), row.getString(17),
                Times.instant(row.getLocalDateTime(18)), row.getString(19), row.getString(20), row.getLong(21),
                Times.instant(row.getLocalDateTime(22)), Times.instant(row.getLocalDateTime(23)));
    }
}
