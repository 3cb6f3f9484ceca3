package dev.suite.workflow.executions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.commons.db.JsonColumns;
import dev.suite.commons.db.MySqlErrors;
import dev.suite.commons.db.Placeholders;
import dev.suite.commons.db.Times;
import dev.suite.workflow.engine.NodeRecord;
import dev.suite.workflow.engine.NodeStatus;
import dev.suite.workflow.executions.dto.ExecutionAccepted;
import dev.suite.workflow.executions.dto.ExecutionResponse;
import dev.suite.workflow.executions.dto.NodeRunResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The execution, node_run and node_output tables. Reads for users name the owner. */
@ApplicationScoped
public class ExecutionStore {

    private static final String COLUMNS = "execution_id, workflow_id, workflow_version, status, priority, inputs, "
            + "outputs, error, interrupt_requested, resumes, created_at, started_at, finished_at, replica_id, trigger_id, rerun_of";

    /**
     * A queued execution, as submitted; {@code traceParent} is the trace of what created it (a
     * request, a webhook call, an event), null when it was not traced.
     */
    public record NewExecution(String executionId, String ownerId, String workflowId, Integer workflowVersion, int priority,
            String graph, String inputs, String callerAuth, Instant createdAt, String triggerId, String triggerKey,
            String traceParent) {
    }

    /** An execution this replica took from the queue: what it needs to run it, and the trace it continues. */
    public record Claimed(String executionId, String ownerId, String workflowId, String graph, JsonNode inputs,
            String callerAuth, int resumes, boolean interruptRequested, int priority, Instant createdAt, int approvals,
            String rerunOf, String traceParent) {

        /** Resumed after a lost replica, continued after a person's decision, or a re-run: its finished nodes are kept. */
        public boolean continues() {
            return resumes > 0 || approvals > 0 || rerunOf != null;
        }
    }

    /** What the reconciler needs of a running execution whose replica stopped renewing its lease. */
    public record Stranded(String executionId, String ownerId, String runToken, int resumes, boolean interruptRequested,
            int priority, Instant createdAt) {
    }

    private final Pool pool;
    private final JsonColumns json;

    public ExecutionStore(Pool pool, JsonColumns json) {
        this.pool = pool;
        this.json = json;
    }

    /** The owner's unfinished executions, counted up to {@code max} (a plain read: it takes no locks). */
    public Uni<Long> activeCount(String ownerId, int max) {
        return pool.preparedQuery("SELECT COUNT(*) FROM (SELECT 1 FROM execution WHERE owner_id = ? "
                        + "AND status IN ('queued','running') LIMIT ?) active")
                .execute(Tuple.of(ownerId, max))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Inserts new executions in one statement (submits arriving together are written together). */
    public Uni<Void> insert(List<NewExecution> executions) {
        StringBuilder sql = new StringBuilder("INSERT INTO execution (execution_id, owner_id, workflow_id, workflow_version, "
                + "status, priority, graph, inputs, caller_auth, created_at, trigger_id, trigger_key, trace_parent) VALUES ");
        Tuple params = Tuple.tuple();
        for (int i = 0; i < executions.size(); i++) {
            NewExecution e = executions.get(i);
            sql.append(i == 0 ? "" : ",").append("(?,?,?,?,'queued',?,?,?,?,?,?,?,?)");
            params.addString(e.executionId()).addString(e.ownerId()).addString(e.workflowId())
                    .addInteger(e.workflowVersion()).addInteger(e.priority()).addString(e.graph()).addString(e.inputs())
                    .addString(e.callerAuth()).addLocalDateTime(Times.column(e.createdAt())).addString(e.triggerId())
                    .addString(e.triggerKey()).addString(e.traceParent());
        }
        return pool.preparedQuery(sql.toString()).execute(params)
                .onFailure(MySqlErrors::isRaceLost).retry().atMost(3)
                .replaceWithVoid();
    }

    /**
     * Marks the queued ones of {@code ids} as running for this replica under {@code runToken}, and
     * answers them (ids no longer queued — interrupted or deleted meanwhile — are left out).
     */
    public Uni<List<Claimed>> claim(List<String> ids, String runToken, String replicaId, Instant now) {
        Tuple update = Tuple.tuple().addString(runToken).addString(replicaId).addLocalDateTime(Times.column(now));
        ids.forEach(update::addString);
        return pool.preparedQuery("UPDATE execution SET status = 'running', run_token = ?, replica_id = ?, "
                        + "started_at = COALESCE(started_at, ?) WHERE status = 'queued' AND execution_id IN ("
                        + Placeholders.of(ids.size()) + ")")
                .execute(update)
                .onFailure(MySqlErrors::isRaceLost).retry().atMost(3)
                .chain(updated -> updated.rowCount() == 0 ? Uni.createFrom().item(List.<Claimed>of())
                        : pool.preparedQuery("SELECT execution_id, owner_id, workflow_id, graph, inputs, caller_auth, "
                                        + "resumes, interrupt_requested, priority, created_at, approvals, rerun_of, trace_parent "
                                        + "FROM execution WHERE run_token = ?")
                                .execute(Tuple.of(runToken))
                                .map(rows -> {
                                    List<Claimed> out = new ArrayList<>();
                                    for (Row row : rows) {
                                        out.add(new Claimed(row.getString(0), row.getString(1), row.getString(2),
                                                row.getString(3), json.read(row.getString(4)), row.getString(5),
                                                row.getInteger(6), row.getBoolean(7), row.getInteger(8),
                                                Times.instant(row.getLocalDateTime(9)), row.getInteger(10), row.getString(11),
                                                row.getString(12)));
                                    }
                                    return out;
                                }));
    }

    /** The node runs an execution finished before (for a resume), with their outputs. */
    public Uni<Map<String, NodeRecord>> finishedNodes(String executionId) {
        return pool.preparedQuery("SELECT n.node_id, n.status, n.attempts, COALESCE(o.content, n.outputs), n.started_at, "
                        + "n.finished_at FROM node_run n LEFT JOIN node_output o ON o.execution_id = n.execution_id "
                        + "AND o.node_id = n.node_id WHERE n.execution_id = ? AND n.status IN ('completed','bypassed')")
                .execute(Tuple.of(executionId))
                .map(rows -> {
                    Map<String, NodeRecord> out = new HashMap<>();
                    for (Row row : rows) {
                        Map<String, JsonNode> outputs = new LinkedHashMap<>();
                        JsonNode stored = json.read(row.getString(3));
                        if (stored != null) {
                            stored.fields().forEachRemaining(f -> outputs.put(f.getKey(), f.getValue()));
                        }
                        out.put(row.getString(0), new NodeRecord(row.getString(0), NodeStatus.of(row.getString(1)),
                                row.getInteger(2), outputs, null, Times.instant(row.getLocalDateTime(4)),
                                Times.instant(row.getLocalDateTime(5)), false));
                    }
                    return out;
                });
    }

    public Uni<Optional<ExecutionResponse>> find(String ownerId, String executionId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM execution WHERE execution_id = ? AND owner_id = ?")
                .execute(Tuple.of(executionId, ownerId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(view(rows.iterator().next())));
    }

    /** The execution a trigger's firing started, as its submit answered it (status as it is now). */
    public Uni<Optional<ExecutionAccepted>> byFiring(String triggerId, String key) {
        return pool.preparedQuery("SELECT execution_id, status FROM execution WHERE trigger_id = ? AND trigger_key = ?")
                .execute(Tuple.of(triggerId, key))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next()).map(row ->
                        new ExecutionAccepted(row.getString(0), row.getString(0), row.getString(1), null)));
    }

    /** The owner of an execution, or empty (for the WebSocket's subscribe check). */
    public Uni<Optional<String>> owner(String executionId) {
        return pool.preparedQuery("SELECT owner_id FROM execution WHERE execution_id = ?")
                .execute(Tuple.of(executionId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString(0)));
    }

    public Uni<List<NodeRunResponse>> nodes(String executionId) {
        return pool.preparedQuery("SELECT node_id, status, attempts, outputs, output_ref, error, started_at, finished_at "
                        + "FROM node_run WHERE execution_id = ? ORDER BY started_at, node_id")
                .execute(Tuple.of(executionId))
                .map(rows -> {
                    List<NodeRunResponse> out = new ArrayList<>();
                    for (Row row : rows) {
                        Instant started = Times.instant(row.getLocalDateTime(6));
                        Instant finished = Times.instant(row.getLocalDateTime(7));
                        boolean ref = row.getBoolean(4);
                        out.add(new NodeRunResponse(row.getString(0), row.getString(1), row.getInteger(2),
                                ref ? null : json.read(row.getString(3)),
                                ref ? "/api/executions/" + executionId + "/nodes/" + row.getString(0) + "/outputs" : null,
                                row.getString(5), started, finished, millisBetween(started, finished)));
                    }
                    return out;
                });
    }

    /** A node's whole outputs (large ones included); empty when the node has none stored. */
    public Uni<Optional<JsonNode>> nodeOutputs(String executionId, String nodeId) {
        return pool.preparedQuery("SELECT COALESCE(o.content, n.outputs) FROM node_run n LEFT JOIN node_output o "
                        + "ON o.execution_id = n.execution_id AND o.node_id = n.node_id WHERE n.execution_id = ? AND n.node_id = ?")
                .execute(Tuple.of(executionId, nodeId))
                .map(rows -> rows.size() == 0 || rows.iterator().next().getString(0) == null ? Optional.empty()
                        : Optional.of(json.read(rows.iterator().next().getString(0))));
    }

    /** Newest first, keyset-paged by id; optionally of one status. */
    public Uni<List<ExecutionResponse>> page(String ownerId, String status, String before, int fetch) {
        Tuple params = Tuple.of(ownerId);
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM execution WHERE owner_id = ?");
        if (status != null) {
            sql.append(" AND status = ?");
            params.addString(status);
        }
        if (before != null) {
            sql.append(" AND execution_id < ?");
            params.addString(before);
        }
        sql.append(" ORDER BY execution_id DESC LIMIT ?");
        params.addInteger(fetch);
        return pool.preparedQuery(sql.toString()).execute(params).map(rows -> {
            List<ExecutionResponse> out = new ArrayList<>();
            rows.forEach(row -> out.add(view(row)));
            return out;
        });
    }

    /** Ends a queued execution as interrupted; answers whether it was still queued. */
    public Uni<Boolean> interruptQueued(String ownerId, String executionId, Instant now) {
        // A waiting execution ends too, with its waiting nodes.
        return pool.withTransaction(db -> db.preparedQuery("UPDATE execution SET status = 'interrupted', error = 'interrupted', "
                        + "finished_at = ?, caller_auth = NULL WHERE execution_id = ? AND owner_id = ? AND status IN ('queued', 'waiting')")
                .execute(Tuple.of(Times.column(now), executionId, ownerId))
                .call(rows -> rows.rowCount() == 0 ? Uni.createFrom().voidItem()
                        : db.preparedQuery("UPDATE node_run SET status = 'interrupted', finished_at = ?, waiting_until = NULL "
                                + "WHERE execution_id = ? AND status = 'waiting'")
                                .execute(Tuple.of(Times.column(now), executionId)).replaceWithVoid()))
                .map(rows -> rows.rowCount() > 0);
    }

    /** Asks the replica running it to stop; answers whether it was running. */
    public Uni<Boolean> requestInterrupt(String ownerId, String executionId) {
        return pool.preparedQuery("UPDATE execution SET interrupt_requested = 1 WHERE execution_id = ? AND owner_id = ? "
                        + "AND status = 'running'")
                .execute(Tuple.of(executionId, ownerId))
                .map(rows -> rows.rowCount() > 0);
    }

    /** Of these running executions, those asked to stop (in case the pub/sub notice was lost). */
    public Uni<List<String>> interruptRequested(List<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.preparedQuery("SELECT execution_id FROM execution WHERE interrupt_requested = 1 AND execution_id IN ("
                        + Placeholders.of(ids.size()) + ")")
                .execute(Tuple.from(new ArrayList<Object>(ids)))
                .map(rows -> {
                    List<String> out = new ArrayList<>();
                    rows.forEach(row -> out.add(row.getString(0)));
                    return out;
                });
    }

    /** Deletes a finished execution with its node runs; answers false when none such is the owner's. */
    public Uni<Boolean> deleteFinished(String ownerId, String executionId) {
        return pool.preparedQuery("DELETE FROM execution WHERE execution_id = ? AND owner_id = ? "
                        + "AND status IN ('completed','failed','interrupted')")
                .execute(Tuple.of(executionId, ownerId))
                .map(rows -> rows.rowCount() > 0);
    }

    public Uni<Optional<Stranded>> stranded(String executionId) {
        return pool.preparedQuery("SELECT owner_id, run_token, resumes, interrupt_requested, priority, created_at "
                        + "FROM execution WHERE execution_id = ? AND status = 'running'")
                .execute(Tuple.of(executionId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new Stranded(executionId, row.getString(0), row.getString(1), row.getInteger(2),
                            row.getBoolean(3), row.getInteger(4), Times.instant(row.getLocalDateTime(5))));
                });
    }

    /** Puts a stranded execution back in the queue (its finished nodes are kept); false if it moved on meanwhile. */
    public Uni<Boolean> requeue(Stranded e) {
        return pool.withTransaction(db -> db.preparedQuery("UPDATE execution SET status = 'queued', run_token = NULL, "
                                + "replica_id = NULL, resumes = resumes + 1 WHERE execution_id = ? AND run_token = ? AND status = 'running'")
                        .execute(Tuple.of(e.executionId(), e.runToken()))
                        .call(rows -> rows.rowCount() == 0 ? Uni.createFrom().voidItem()
                                : db.preparedQuery("UPDATE node_run SET status = 'interrupted', error = 'the replica "
                                                + "running it stopped; the execution was resumed' WHERE execution_id = ? AND status = 'running'")
                                        .execute(Tuple.of(e.executionId())).replaceWithVoid()))
                .map(rows -> rows.rowCount() > 0);
    }

    /** Ends a stranded execution as {@code status} with {@code error}; false if it moved on meanwhile. */
    public Uni<Boolean> endStranded(Stranded e, String status, String error, Instant now) {
        return pool.withTransaction(db -> db.preparedQuery("UPDATE execution SET status = ?, error = ?, finished_at = ?, "
                                + "caller_auth = NULL WHERE execution_id = ? AND run_token = ? AND status = 'running'")
                        .execute(Tuple.of(status, error, Times.column(now), e.executionId(), e.runToken()))
                        .call(rows -> rows.rowCount() == 0 ? Uni.createFrom().voidItem()
                                : db.preparedQuery("UPDATE node_run SET status = 'interrupted', error = ?, finished_at = ? "
                                                + "WHERE execution_id = ? AND status = 'running'")
                                        .execute(Tuple.of(error, Times.column(now), e.executionId())).replaceWithVoid()))
                .map(rows -> rows.rowCount() > 0);
    }

    /** Running executions started before {@code startedBefore} (to find those Redis lost track of). */
    public Uni<List<String>> runningSince(Instant startedBefore, int max) {
        return ids("SELECT execution_id FROM execution WHERE status = 'running' AND started_at < ? LIMIT ?",
                Tuple.of(Times.column(startedBefore), max));
    }

    /** Queued executions created before {@code createdBefore}, with priority and creation time (to requeue lost ones). */
    public Uni<List<Stranded>> queuedSince(Instant createdBefore, int max) {
        return pool.preparedQuery("SELECT execution_id, owner_id, priority, created_at FROM execution "
                        + "WHERE status = 'queued' AND created_at < ? ORDER BY created_at LIMIT ?")
                .execute(Tuple.of(Times.column(createdBefore), max))
                .map(rows -> {
                    List<Stranded> out = new ArrayList<>();
                    rows.forEach(row -> out.add(new Stranded(row.getString(0), row.getString(1), null, 0, false,
                            row.getInteger(2), Times.instant(row.getLocalDateTime(3)))));
                    return out;
                });
    }

    private Uni<List<String>> ids(String sql, Tuple params) {
        return pool.preparedQuery(sql).execute(params).map(rows -> {
            List<String> out = new ArrayList<>();
            rows.forEach(row -> out.add(row.getString(0)));
            return out;
        });
    }

    private ExecutionResponse view(Row row) {
        Instant started = Times.instant(row.getLocalDateTime(11));
        Instant finished = Times.instant(row.getLocalDateTime(12));
        return new ExecutionResponse(row.getString(0), row.getString(0), row.getString(1), row.getInteger(2),
                row.getString(3), row.getInteger(4), null, json.read(row.getString(5)), json.read(row.getString(6)),
                row.getString(7), row.getBoolean(8), row.getInteger(9), row.getString(13), null,
                Times.instant(row.getLocalDateTime(10)),
                started, finished, millisBetween(started, finished), row.getString(14), row.getString(15));
    }

    /** What an execution ran: its graph snapshot and inputs, for a re-run. */
    public record Source(String graph, String inputs) {
    }

    public Uni<Source> source(String executionId) {
        return pool.preparedQuery("SELECT graph, inputs FROM execution WHERE execution_id = ?").execute(Tuple.of(executionId))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Source(row.getString(0), row.getString(1));
                });
    }

    /**
     * Stores a re-run as queued, in one transaction with the node runs it keeps: the earlier
     * execution's completed and bypassed nodes (and their large outputs) but those in {@code again}.
     */
    public Uni<Void> insertRerun(NewExecution e, String rerunOf, Set<String> again) {
        Tuple keep = Tuple.of(e.executionId(), rerunOf);
        again.forEach(keep::addString);
        String notAgain = again.isEmpty() ? "" : " AND node_id NOT IN (" + Placeholders.of(again.size()) + ")";
        return pool.withTransaction(db -> db.preparedQuery("INSERT INTO execution (execution_id, owner_id, workflow_id, "
                                + "workflow_version, status, priority, graph, inputs, caller_auth, created_at, rerun_of, trace_parent, "
                                + "approvals) VALUES (?,?,?,?,'queued',?,?,?,?,?,?,?,0)")
                        .execute(Tuple.tuple().addString(e.executionId()).addString(e.ownerId()).addString(e.workflowId())
                                .addInteger(e.workflowVersion()).addInteger(e.priority()).addString(e.graph())
                                .addString(e.inputs()).addString(e.callerAuth()).addLocalDateTime(Times.column(e.createdAt()))
                                .addString(rerunOf).addString(e.traceParent()))
                        .chain(() -> db.preparedQuery("INSERT INTO node_run (execution_id, node_id, status, attempts, outputs, "
                                        + "output_ref, error, started_at, finished_at) SELECT ?, node_id, status, attempts, outputs, "
                                        + "output_ref, error, started_at, finished_at FROM node_run WHERE execution_id = ? "
                                        + "AND status IN ('completed', 'bypassed')" + notAgain)
                                .execute(keep))
                        .chain(() -> db.preparedQuery("INSERT INTO node_output (execution_id, node_id, content) SELECT ?, node_id, "
                                        + "content FROM node_output WHERE execution_id = ? AND node_id IN (SELECT node_id FROM node_run "
                                        + "WHERE execution_id = ? AND status IN ('completed', 'bypassed'))" + notAgain)
                                .execute(rerunOutputs(e.executionId(), rerunOf, again))))
                .replaceWithVoid();
    }

    private static Tuple rerunOutputs(String executionId, String rerunOf, Set<String> again) {
        Tuple params = Tuple.of(executionId, rerunOf, rerunOf);
        again.forEach(params::addString);
        return params;
    }

    private static Long millisBetween(Instant from, Instant to) {
        return from == null || to == null ? null : Duration.between(from, to).toMillis();
    }
}
