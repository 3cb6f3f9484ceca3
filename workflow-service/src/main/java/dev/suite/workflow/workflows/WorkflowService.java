package dev.suite.workflow.workflows;

import dev.suite.commons.db.Times;
import dev.suite.commons.ids.Ids;
import dev.suite.commons.paging.Page;
import dev.suite.commons.paging.PageRequest;
import dev.suite.commons.problem.ProblemException;
import dev.suite.workflow.graph.Graph;
import dev.suite.workflow.graph.GraphValidator;
import dev.suite.workflow.workflows.dto.VersionResponse;
import dev.suite.workflow.workflows.dto.WorkflowRequest;
import dev.suite.workflow.workflows.dto.WorkflowResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

/** Workflows and their versions: each save checks the graph and adds a version; old versions stay readable. */
@ApplicationScoped
public class WorkflowService {

    private final Pool pool;
    private final WorkflowStore store;
    private final GraphValidator validator;
    private final SubWorkflowCycles cycles;

    public WorkflowService(Pool pool, WorkflowStore store, GraphValidator validator, SubWorkflowCycles cycles) {
        this.pool = pool;
        this.store = store;
        this.validator = validator;
        this.cycles = cycles;
    }

    public Uni<WorkflowResponse> create(String ownerId, WorkflowRequest request) {
        Graph graph = request.graph();
        validator.compile(graph);
        String id = Ids.newId();
        Instant now = Times.now();
        return pool.withTransaction(db -> store.insert(db, ownerId, id, request.name, request.description, graph, now))
                .chain(() -> get(ownerId, id, null));
    }

    /** A new version; refused when its sub_workflow nodes would make the workflow run itself again. */
    public Uni<WorkflowResponse> update(String ownerId, String workflowId, WorkflowRequest request) {
        Graph graph = request.graph();
        validator.compile(graph);
        Instant now = Times.now();
        return cycles.check(ownerId, workflowId, graph.nodes())
                .chain(() -> pool.withTransaction(db -> store.lockLatest(db, ownerId, workflowId).chain(latest -> {
                    if (latest.isEmpty()) {
                        throw ProblemException.notFound("Workflow");
                    }
                    if (request.expectedVersion != null && !request.expectedVersion.equals(latest.get())) {
                        throw ProblemException.conflict("The workflow is at version " + latest.get()
                                + ", not expected_version " + request.expectedVersion + ": reload it and apply the edit again.");
                    }
                    return store.update(db, workflowId, latest.get() + 1, request.name, request.description, graph, now);
                })))
                .chain(() -> get(ownerId, workflowId, null));
    }

    public Uni<WorkflowResponse> get(String ownerId, String workflowId, Integer version) {
        return store.find(ownerId, workflowId, version).map(found -> found.orElseThrow(() -> ProblemException.notFound(
                version == null ? "Workflow" : "Workflow or version")));
    }

    /** The graph of a workflow at a version (null: the latest) — what a run or a sub-workflow node executes. */
    public Uni<Graph> graph(String ownerId, String workflowId, Integer version) {
        return get(ownerId, workflowId, version).map(w -> new Graph(w.nodes(), w.edges(), w.interfaceInputs(),
                w.interfaceOutputs(), w.outputMappings()));
    }

    public Uni<Page<WorkflowResponse>> list(String ownerId, PageRequest page) {
        return store.page(ownerId, page.before(), page.fetchSize())
                .map(rows -> Page.of(rows, page, WorkflowResponse::workflowId, row -> row));
    }

    public Uni<List<VersionResponse>> versions(String ownerId, String workflowId) {
        return store.versions(ownerId, workflowId)
                .map(found -> found.orElseThrow(() -> ProblemException.notFound("Workflow")));
    }

    /** Deletes the workflow and its versions; executions keep the graph they ran. */
    public Uni<Void> delete(String ownerId, String workflowId) {
        return store.delete(ownerId, workflowId).invoke(deleted -> {
            if (!deleted) {
                throw ProblemException.notFound("Workflow");
            }
        }).replaceWithVoid();
    }
}
