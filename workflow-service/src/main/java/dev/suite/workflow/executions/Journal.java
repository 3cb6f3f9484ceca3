package dev.suite.workflow.executions;

import dev.suite.commons.calls.Background;
import dev.suite.commons.db.MySqlErrors;
import dev.suite.commons.db.Times;
import dev.suite.commons.db.GroupCommit;
import dev.suite.workflow.engine.NodeStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What running executions write to MySQL as they go — node runs as they start and end, and each
 * execution's end — gathered across executions for a few milliseconds and written in one
 * transaction (group commit). A node that starts and ends within one batch is written once. Node
 * rows of a batch are written before the execution ends in it, so an execution never shows as
 * finished with nodes missing.
 */
@ApplicationScoped
public class Journal {

    private static final Logger LOG = Logger.getLogger(Journal.class);

    private static final int ROWS_PER_STATEMENT = 500;
    /** Node rows and ends written in one transaction at most. */
    private static final int ENTRIES_PER_COMMIT = 2_000;

    /** A node run's state; {@code outputs} is inline JSON, or null with {@code storedOutput} for a large one. */
    public record NodeRow(String executionId, String nodeId, NodeStatus status, int attempts, String outputs,
            String storedOutput, String error, Instant startedAt, Instant finishedAt, Instant waitingUntil) {
    }

    /**
     * An execution's end — or its pause for a person ({@code waiting}: it keeps its credentials and
     * drops its run token, so no replica holds it) — written only while {@code runToken} is still its token.
     */
    public record Finish(String executionId, String runToken, String status, String outputs, String error,
            Instant finishedAt, CompletableFuture<Boolean> matched) {
    }

    private record Entry(NodeRow node, Finish finish) {
    }

    private final Pool pool;
    /** Node rows and ends are written in the order they came: a node's row before its execution's end. */
    private final GroupCommit<Entry, Void> batch;

    public Journal(Pool pool) {
        this.pool = pool;
        this.batch = GroupCommit.inOrder(items -> writeAll(items).onFailure().invoke(e -> LOG.warnf(
                "Could not write %d node runs and execution ends: %s", items.size(), e.getMessage())), ENTRIES_PER_COMMIT);
    }

    /** Queues a node row; it is written with the next batch. */
    public void node(NodeRow row) {
        Background.tidy(batch.submit(new Entry(row, null)), LOG, "A node row of execution " + row.executionId());
    }

    /** Writes an execution's end (after its queued node rows); answers whether the token still held. */
    public Uni<Boolean> finish(String executionId, String runToken, String status, String outputs, String error,
            Instant finishedAt) {
        CompletableFuture<Boolean> matched = new CompletableFuture<>();
        return batch.submit(new Entry(null, new Finish(executionId, runToken, status, outputs, error, finishedAt, matched)))
                .chain(() -> Uni.createFrom().completionStage(matched));
    }

    private Uni<Void> writeAll(List<Entry> items) {
        Map<String, NodeRow> nodes = new LinkedHashMap<>();
        List<Finish> finishes = new ArrayList<>();
        for (Entry entry : items) {
            if (entry.node() != null) {
                nodes.put(entry.node().executionId() + "\u0000" + entry.node().nodeId(), entry.node());
            } else {
                finishes.add(entry.finish());
            }
        }
        List<NodeRow> rows = new ArrayList<>(nodes.values());
        List<Boolean> matched = new ArrayList<>();
        // A lost race rolls the whole transaction back: the batch is written again from the start.
        return Uni.createFrom().deferred(() -> {
                    matched.clear();
                    return pool.withTransaction(db -> writeNodes(db, rows).chain(() -> writeFinishes(db, finishes, matched)));
                })
                .onFailure(MySqlErrors::isRaceLost).retry().atMost(3)
                .invoke(() -> {
                    for (int i = 0; i < finishes.size(); i++) {
                        finishes.get(i).matched().complete(matched.get(i));
                    }
                })
                .onFailure().invoke(e -> {
                    finishes.forEach(f -> f.matched().completeExceptionally(e));
                    // The node rows go with the next batch (after the pause that follows a failed
                    // write), ahead of their execution's end, which its replica retries.
                    rows.forEach(this::node);
                });
    }

    private Uni<Void> writeNodes(SqlClient db, List<NodeRow> rows) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
            List<NodeRow> part = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
            chain = chain.chain(() -> upsertNodes(db, part)).chain(() -> storeOutputs(db, part));
        }
        return chain;
    }

    private static Uni<Void> upsertNodes(SqlClient db, List<NodeRow> rows) {
        StringBuilder sql = new StringBuilder("INSERT INTO node_run (execution_id, node_id, status, attempts, outputs, "
                + "output_ref, error, started_at, finished_at, waiting_until) VALUES ");
        Tuple params = Tuple.tuple();
        for (int i = 0; i < rows.size(); i++) {
            NodeRow row = rows.get(i);
            sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?,?)");
            params.addString(row.executionId()).addString(row.nodeId()).addString(row.status().json())
                    .addInteger(row.attempts()).addString(row.outputs()).addBoolean(row.storedOutput() != null)
                    .addString(row.error()).addLocalDateTime(Times.column(row.startedAt()))
                    .addLocalDateTime(Times.column(row.finishedAt())).addLocalDateTime(Times.column(row.waitingUntil()));
        }
        sql.append(" ON DUPLICATE KEY UPDATE status = VALUES(status), attempts = VALUES(attempts), outputs = VALUES(outputs), "
                + "output_ref = VALUES(output_ref), error = VALUES(error), started_at = VALUES(started_at), "
                + "finished_at = VALUES(finished_at), waiting_until = VALUES(waiting_until)");
        return db.preparedQuery(sql.toString()).execute(params).replaceWithVoid();
    }

    private static Uni<Void> storeOutputs(SqlClient db, List<NodeRow> rows) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (NodeRow row : rows) {
            if (row.storedOutput() != null) {
                chain = chain.chain(() -> db.preparedQuery("REPLACE INTO node_output (execution_id, node_id, content) "
                        + "VALUES (?,?,?)").execute(Tuple.of(row.executionId(), row.nodeId(), row.storedOutput())).replaceWithVoid());
            }
        }
        return chain;
    }

    /**
     * One statement after another, not pipelined: after a failure nothing more may run, as it
     * would outside the transaction that failure rolled back.
     */
    private static Uni<Void> writeFinishes(SqlClient db, List<Finish> finishes, List<Boolean> matched) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Finish f : finishes) {
            boolean pause = ExecutionStatus.WAITING.equals(f.status());
            chain = chain.chain(() -> db.preparedQuery(pause
                            ? "UPDATE execution SET status = ?, outputs = ?, error = ?, finished_at = ?, run_token = NULL "
                                    + "WHERE execution_id = ? AND run_token = ? AND status = 'running'"
                            : "UPDATE execution SET status = ?, outputs = ?, error = ?, "
                                    + "finished_at = ?, caller_auth = NULL, interrupt_requested = 0 WHERE execution_id = ? "
                                    + "AND run_token = ? AND status = 'running'")
                    .execute(Tuple.of(f.status(), f.outputs(), f.error(), Times.column(f.finishedAt()), f.executionId(),
                            f.runToken()))
                    .invoke(rows -> matched.add(rows.rowCount() > 0))
                    .replaceWithVoid());
        }
        return chain;
    }
}
