package dev.suite.workflow.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.commons.problem.FieldError;
import dev.suite.commons.problem.ProblemException;
import dev.suite.workflow.WorkflowSettings;
import dev.suite.workflow.graph.GraphNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Refuses a save that would let a workflow run itself through {@code sub_workflow} nodes,
 * directly or through other workflows: such a graph starts runs without end (one hundred nodes
 * that call their own workflow make 100^depth runs). The references are followed as they would
 * run — a node's pinned version, else the latest — as deep as sub-workflows may nest.
 */
@ApplicationScoped
public class SubWorkflowCycles {

    static final String TYPE = "sub_workflow";

    private final WorkflowStore store;
    private final int maxDepth;

    public SubWorkflowCycles(WorkflowStore store, WorkflowSettings settings) {
        this.store = store;
        this.maxDepth = settings.maxDepth();
    }

    /**
     * Fails with a 400 naming the cycle and the node that starts it when saving these nodes as
     * {@code workflowId}. Reads through {@code db}, the save's transaction: it holds the workflow's
     * row lock, and a second connection taken while holding it could wait on a pool that the edits
     * queued behind that lock have drained.
     */
    public Uni<Void> check(SqlClient db, String ownerId, String workflowId, List<GraphNode> nodes) {
        List<String> path = List.of(workflowId);
        Uni<Void> chain = Uni.createFrom().voidItem();
        Set<String> visited = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            Reference reference = Reference.of(nodes.get(i));
            if (reference == null) {
                continue;
            }
            String field = "nodes[" + i + "].config.workflow_id";
            chain = chain.chain(() -> walk(db, ownerId, workflowId, reference, path, visited)
                    .invoke(cycle -> {
                        if (cycle != null) {
                            throw ProblemException.validation(List.of(new FieldError(field,
                                    "makes the workflow run itself again: " + String.join(" → ", cycle))));
                        }
                    })
                    .replaceWithVoid());
        }
        return chain;
    }

    /** The cycle back to {@code start} through {@code reference}, or null when there is none. */
    private Uni<List<String>> walk(SqlClient db, String ownerId, String start, Reference reference, List<String> path,
            Set<String> visited) {
        List<String> next = new ArrayList<>(path);
        next.add(reference.workflowId());
        if (reference.workflowId().equals(start)) {
            return Uni.createFrom().item(next);
        }
        // Deeper than runs may nest, or already followed: no cycle can be found there that a run would take.
        if (path.size() > maxDepth || !visited.add(reference.workflowId() + "@" + reference.version())) {
            return Uni.createFrom().nullItem();
        }
        return store.find(db, ownerId, reference.workflowId(), reference.version()).chain(found -> {
            Uni<List<String>> result = Uni.createFrom().nullItem();
            if (found.isEmpty()) {
                return result;
            }
            for (GraphNode node : found.get().nodes()) {
                Reference inner = Reference.of(node);
                if (inner != null) {
                    result = result.chain(cycle -> cycle != null ? Uni.createFrom().item(cycle)
                            : walk(db, ownerId, start, inner, next, visited));
                }
            }
            return result;
        });
    }

    /** A sub_workflow node's target: a workflow id, and the version it pins (null: the latest). */
    private record Reference(String workflowId, Integer version) {
        static Reference of(GraphNode node) {
            JsonNode config = node.config();
            if (!TYPE.equals(node.type()) || config == null || !config.path("workflow_id").isTextual()) {
                return null;
            }
            return new Reference(config.get("workflow_id").asText(),
                    config.path("version").canConvertToInt() ? config.get("version").asInt() : null);
        }
    }
}
