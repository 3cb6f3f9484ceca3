package dev.suite.workflow.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.commons.db.JsonColumns;
import dev.suite.commons.db.Times;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The waiting node runs of paused executions, and the moves a decision makes, in MySQL. */
@ApplicationScoped
public class ApprovalStore {

    private final Pool pool;
    private final JsonColumns json;

    public ApprovalStore(Pool pool, JsonColumns json) {
        this.pool = pool;
        this.json = json;
    }

    /** What a node waiting for a person was asked (message, value, deadline); empty when it does not wait. */
    public Uni<Optional<JsonNode>> request(String executionId, String nodeId) {
        return pool.preparedQuery("SELECT outputs FROM node_run WHERE execution_id = ? AND node_id = ? AND status = 'waiting'")
                .execute(Tuple.of(executionId, nodeId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.ofNullable(json.read(rows.iterator().next().getString(0))));
    }

    /** Completes a waiting node with its decision as outputs; false when it no longer waits (decided meanwhile). */
    public Uni<Boolean> decide(String executionId, String nodeId, JsonNode outputs, Instant at) {
        return pool.preparedQuery("UPDATE node_run SET status = 'completed', outputs = ?, finished_at = ?, waiting_until = NULL "
                        + "WHERE execution_id = ? AND node_id = ? AND status = 'waiting'")
                .execute(Tuple.of(outputs.toString(), Times.column(at), executionId, nodeId)).map(rows -> rows.rowCount() == 1);
    }

    /** A queued execution to put back in the queue: its owner, priority and age. */
    public record Continued(String ownerId, int priority, Instant createdAt) {
    }

    /**
     * Queues a waiting execution again once none of its nodes waits any more; empty when it still
     * waits for one, is not paused (still running, or continued by another caller), or is gone.
     */
    public Uni<Optional<Continued>> continueIfDecided(String executionId) {
        return pool.withTransaction(db -> db.preparedQuery("UPDATE execution SET status = 'queued', approvals = approvals + 1 "
                        + "WHERE execution_id = ? AND status = 'waiting' AND NOT EXISTS (SELECT 1 FROM node_run "
                        + "WHERE execution_id = ? AND status = 'waiting')")
                .execute(Tuple.of(executionId, executionId))
                .chain(rows -> rows.rowCount() == 0 ? Uni.createFrom().item(Optional.<Continued>empty())
                        : db.preparedQuery("SELECT owner_id, priority, created_at FROM execution WHERE execution_id = ?")
                                .execute(Tuple.of(executionId)).map(found -> {
                                    Row row = found.iterator().next();
                                    return Optional.of(new Continued(row.getString(0), row.getInteger(1),
                                            Times.instant(row.getLocalDateTime(2))));
                                })));
    }

    /** Ends a paused execution as failed at a waiting node (its timeout says so); false when it is not paused there. */
    public Uni<Boolean> fail(String executionId, String nodeId, String error, Instant at) {
        return pool.withTransaction(db -> db.preparedQuery("UPDATE execution SET status = 'failed', error = ?, finished_at = ?, "
                        + "caller_auth = NULL WHERE execution_id = ? AND status = 'waiting' AND EXISTS (SELECT 1 FROM node_run "
                        + "WHERE execution_id = ? AND node_id = ? AND status = 'waiting')")
                .execute(Tuple.of(error, Times.column(at), executionId, executionId, nodeId))
                .call(rows -> rows.rowCount() == 0 ? Uni.createFrom().voidItem()
                        : db.preparedQuery("UPDATE node_run SET status = CASE WHEN node_id = ? THEN 'failed' ELSE 'interrupted' END, "
                                        + "error = CASE WHEN node_id = ? THEN ? ELSE error END, finished_at = ?, waiting_until = NULL "
                                        + "WHERE execution_id = ? AND status = 'waiting'")
                                .execute(Tuple.tuple().addString(nodeId).addString(nodeId).addString(error)
                                        .addLocalDateTime(Times.column(at)).addString(executionId)).replaceWithVoid())
                .map(rows -> rows.rowCount() == 1));
    }

    /** Waiting nodes whose deadline comes before {@code until}, keyed execution/node: what the timer must hold. */
    public Uni<Map<String, Instant>> deadlinesBefore(Instant until, int limit) {
        return pool.preparedQuery("SELECT execution_id, node_id, waiting_until FROM node_run WHERE status = 'waiting' "
                        + "AND waiting_until < ? ORDER BY waiting_until LIMIT ?")
                .execute(Tuple.of(Times.column(until), limit)).map(rows -> {
                    Map<String, Instant> due = new LinkedHashMap<>();
                    rows.forEach(row -> due.put(ApprovalTimeouts.key(row.getString(0), row.getString(1)),
                            Times.instant(row.getLocalDateTime(2))));
                    return due;
                });
    }
}
