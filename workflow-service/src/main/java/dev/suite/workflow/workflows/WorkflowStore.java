package dev.suite.workflow.workflows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.db.Times;
import dev.suite.workflow.graph.Graph;
import dev.suite.workflow.workflows.dto.VersionResponse;
import dev.suite.workflow.workflows.dto.WorkflowResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The workflow and workflow_version tables. Every read names the owner: another user's id finds nothing. */
@ApplicationScoped
public class WorkflowStore {

    private final Pool pool;
    private final ObjectMapper mapper;

    public WorkflowStore(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    public Uni<Void> insert(SqlClient db, String ownerId, String workflowId, String name, String description, Graph graph,
            Instant now) {
        return db.preparedQuery("INSERT INTO workflow (workflow_id, owner_id, name, description, latest_version, "
                        + "created_at, updated_at) VALUES (?,?,?,?,1,?,?)")
                .execute(Tuple.of(workflowId, ownerId, name, description, Times.column(now), Times.column(now)))
                .chain(() -> insertVersion(db, workflowId, 1, graph, now));
    }

    /**
     * The latest version as {@link #find} shows it, locked for an edit until {@code db}'s transaction
     * ends; empty when the workflow is not the owner's. A locking read sees the latest committed
     * version, so an edit that waited for the lock reads what the edit before it wrote.
     */
    public Uni<Optional<WorkflowResponse>> lockLatest(SqlClient db, String ownerId, String workflowId) {
        return select(db, ownerId, workflowId, null, " FOR UPDATE");
    }

    public Uni<Void> update(SqlClient db, String workflowId, int version, String name, String description, Graph graph,
            Instant now) {
        return db.preparedQuery("UPDATE workflow SET name = ?, description = ?, latest_version = ?, updated_at = ? "
                        + "WHERE workflow_id = ?")
                .execute(Tuple.of(name, description, version, Times.column(now), workflowId))
                .chain(() -> insertVersion(db, workflowId, version, graph, now));
    }

    private Uni<Void> insertVersion(SqlClient db, String workflowId, int version, Graph graph, Instant now) {
        return db.preparedQuery("INSERT INTO workflow_version (workflow_id, version, graph, created_at) VALUES (?,?,?,?)")
                .execute(Tuple.of(workflowId, version, write(graph), Times.column(now)))
                .replaceWithVoid();
    }

    /** The workflow at {@code version} (null: the latest). */
    public Uni<Optional<WorkflowResponse>> find(String ownerId, String workflowId, Integer version) {
        return find(pool, ownerId, workflowId, version);
    }

    /** As {@link #find(String, String, Integer)}, read through {@code db} — inside its transaction when it has one. */
    public Uni<Optional<WorkflowResponse>> find(SqlClient db, String ownerId, String workflowId, Integer version) {
        return select(db, ownerId, workflowId, version, "");
    }

    private Uni<Optional<WorkflowResponse>> select(SqlClient db, String ownerId, String workflowId, Integer version,
            String lock) {
        return db.preparedQuery("SELECT w.workflow_id, w.name, w.description, v.version, w.latest_version, v.graph, "
                        + "w.created_at, w.updated_at FROM workflow w JOIN workflow_version v ON v.workflow_id = w.workflow_id "
                        + "AND v.version = " + (version == null ? "w.latest_version" : "?")
                        + " WHERE w.workflow_id = ? AND w.owner_id = ?" + lock)
                .execute(version == null ? Tuple.of(workflowId, ownerId) : Tuple.of(version, workflowId, ownerId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(view(rows.iterator().next())));
    }

    /** Newest first, keyset-paged by id; without graphs. */
    public Uni<List<WorkflowResponse>> page(String ownerId, String before, int fetch) {
        Tuple params = Tuple.of(ownerId);
        if (before != null) {
            params.addString(before);
        }
        params.addInteger(fetch);
        return pool.preparedQuery("SELECT workflow_id, name, description, latest_version, created_at, updated_at "
                        + "FROM workflow WHERE owner_id = ?" + (before != null ? " AND workflow_id < ?" : "")
                        + " ORDER BY workflow_id DESC LIMIT ?")
                .execute(params)
                .map(rows -> {
                    List<WorkflowResponse> out = new ArrayList<>();
                    for (Row row : rows) {
                        out.add(new WorkflowResponse(row.getString(0), row.getString(1), row.getString(2), row.getInteger(3),
                                row.getInteger(3), null, null, null, null, null, Times.instant(row.getLocalDateTime(4)),
                                Times.instant(row.getLocalDateTime(5))));
                    }
                    return out;
                });
    }

    /** Every version, newest first; empty when the workflow is not the owner's. */
    public Uni<Optional<List<VersionResponse>>> versions(String ownerId, String workflowId) {
        return pool.preparedQuery("SELECT v.version, v.graph, v.created_at FROM workflow w JOIN workflow_version v "
                        + "ON v.workflow_id = w.workflow_id WHERE w.workflow_id = ? AND w.owner_id = ? ORDER BY v.version DESC")
                .execute(Tuple.of(workflowId, ownerId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    List<VersionResponse> out = new ArrayList<>();
                    for (Row row : rows) {
                        out.add(new VersionResponse(row.getInteger(0), read(row.getString(1)).nodes().size(),
                                Times.instant(row.getLocalDateTime(2))));
                    }
                    return Optional.of(out);
                });
    }

    public Uni<Boolean> delete(String ownerId, String workflowId) {
        return pool.preparedQuery("DELETE FROM workflow WHERE workflow_id = ? AND owner_id = ?")
                .execute(Tuple.of(workflowId, ownerId))
                .map(rows -> rows.rowCount() > 0);
    }

    private WorkflowResponse view(Row row) {
        Graph graph = read(row.getString(5));
        return new WorkflowResponse(row.getString(0), row.getString(1), row.getString(2), row.getInteger(3),
                row.getInteger(4), graph.nodes(), graph.edges(), graph.interfaceInputs(), graph.interfaceOutputs(),
                graph.outputMappings(), Times.instant(row.getLocalDateTime(6)), Times.instant(row.getLocalDateTime(7)));
    }

    public String write(Graph graph) {
        try {
            return mapper.writeValueAsString(graph);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unwritable graph", e);
        }
    }

    public Graph read(String json) {
        try {
            return mapper.readValue(json, Graph.class);
        } catch (JsonProcessingException e) {
            // Only this service writes graphs, always from a parsed one.
            throw new IllegalStateException("stored graph is not readable", e);
        }
    }
}
