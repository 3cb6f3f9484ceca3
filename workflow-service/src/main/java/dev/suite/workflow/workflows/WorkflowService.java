package dev.suite.workflow.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.db.Times;
import dev.suite.commons.ids.Ids;
import dev.suite.commons.paging.Page;
import dev.suite.commons.paging.PageRequest;
import dev.suite.commons.patch.EntityTags;
import dev.suite.commons.patch.MergePatch;
import dev.suite.commons.problem.FieldError;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.Violations;
import dev.suite.workflow.graph.Graph;
import dev.suite.workflow.graph.GraphValidator;
import dev.suite.workflow.workflows.dto.VersionResponse;
import dev.suite.workflow.workflows.dto.WorkflowRequest;
import dev.suite.workflow.workflows.dto.WorkflowResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Workflows and their versions: each save checks the graph and adds a version; old versions stay readable. */
@ApplicationScoped
public class WorkflowService {

    private final Pool pool;
    private final WorkflowStore store;
    private final GraphValidator validator;
    private final SubWorkflowCycles cycles;
    private final Validator constraints;
    private final ObjectMapper json;

    public WorkflowService(Pool pool, WorkflowStore store, GraphValidator validator, SubWorkflowCycles cycles,
            Validator constraints, ObjectMapper json) {
        this.pool = pool;
        this.store = store;
        this.validator = validator;
        this.cycles = cycles;
        this.constraints = constraints;
        this.json = json;
    }

    public Uni<WorkflowResponse> create(String ownerId, WorkflowRequest request) {
        Graph graph = request.graph();
        validator.compile(graph);
        String id = Ids.newId();
        Instant now = Times.now();
        return pool.withTransaction(db -> store.insert(db, ownerId, id, request.name, request.description, graph, now))
                .chain(() -> get(ownerId, id, null));
    }

    /** A full update (PUT): a new version; {@code ifMatch}, when given, must name the latest version as GET shows it. */
    public Uni<WorkflowResponse> update(String ownerId, String workflowId, WorkflowRequest request, String ifMatch) {
        return change(ownerId, workflowId, ifMatch, current -> request);
    }

    /**
     * A JSON Merge Patch of the latest version as GET shows it, saved as a new version. The graph's
     * lists (nodes, edges, the interface) are JSON arrays, so a patch replaces each one whole; a
     * workflow has no write-only fields.
     */
    public Uni<WorkflowResponse> patch(String ownerId, String workflowId, JsonNode patch, String ifMatch) {
        return change(ownerId, workflowId, ifMatch, current -> MergePatch.read(json,
                MergePatch.apply(json.valueToTree(current), patch, Set.of()), WorkflowRequest.class));
    }

    /**
     * Reads the latest version under the workflow's row lock, checks {@code If-Match} against it,
     * and saves the request the edit makes of it as the next version — so no other save slips in
     * between the check and the write. Refused when the graph is invalid, when its sub_workflow
     * nodes would make the workflow run itself again, or when expected_version is not the latest.
     * Answers the version as this transaction wrote it, whatever saves follow.
     */
    private Uni<WorkflowResponse> change(String ownerId, String workflowId, String ifMatch,
            Function<WorkflowResponse, WorkflowRequest> edit) {
        return pool.withTransaction(db -> store.lockLatest(db, ownerId, workflowId).chain(found -> {
            WorkflowResponse current = found.orElseThrow(() -> ProblemException.notFound("Workflow"));
            EntityTags.requireMatch(ifMatch, EntityTags.of(json, current));
            WorkflowRequest request = edit.apply(current);
            Graph graph = check(request);
            if (request.expectedVersion != null && !request.expectedVersion.equals(current.version())) {
                throw ProblemException.conflict("The workflow is at version " + current.version()
                        + ", not expected_version " + request.expectedVersion + ": reload it and apply the edit again.");
            }
            return cycles.check(db, ownerId, workflowId, graph.nodes())
                    .chain(() -> store.update(db, workflowId, current.version() + 1, request.name, request.description,
                            graph, Times.now()))
                    .chain(() -> store.find(db, ownerId, workflowId, null))
                    .map(Optional::orElseThrow);
        }));
    }

    /**
     * What PUT and PATCH both check, in the order of a create: the field constraints (a PATCH's
     * body reaches the service unchecked), then the graph against the node catalog.
     */
    private Graph check(WorkflowRequest request) {
        List<FieldError> violations = Violations.fieldErrors(constraints.validate(request));
        if (!violations.isEmpty()) {
            throw ProblemException.validation(violations);
        }
        Graph graph = request.graph();
        validator.compile(graph);
        return graph;
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
