package dev.suite.workflow.nodes.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.suite.commons.problem.ProblemException;
import dev.suite.workflow.nodes.ConfigSchema;
import dev.suite.workflow.nodes.Handle;
import dev.suite.workflow.nodes.HandleType;
import dev.suite.workflow.nodes.NodeCall;
import dev.suite.workflow.nodes.NodeFailure;
import dev.suite.workflow.nodes.NodeSpec;
import dev.suite.workflow.nodes.NodeType;
import dev.suite.workflow.workflows.WorkflowService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;

/**
 * Runs another of the user's workflows inside this execution, with {@code inputs} as its inputs,
 * and gives its outputs. It is recorded (and resumed) as one node; nesting is bounded by
 * {@code suite.workflow.max-depth}, a workflow may not run itself again (directly or through
 * others: refused when saved and when run), and every node of every level counts against the
 * execution's {@code suite.workflow.max-node-runs}.
 */
@ApplicationScoped
public class SubWorkflowNode implements NodeType {

    private static final NodeSpec SPEC = new NodeSpec("sub_workflow", "control", "Runs another workflow of yours as one node",
            List.of(Handle.in("inputs", HandleType.OBJECT, false, "The sub-workflow's inputs by name")),
            List.of(Handle.out("outputs", HandleType.OBJECT, "The sub-workflow's outputs by name")),
            ConfigSchema.create().string("workflow_id", true, "A workflow of yours")
                    .integer("version", false, 1, Integer.MAX_VALUE, "Default: the latest at run time"));

    private final WorkflowService workflows;

    public SubWorkflowNode(WorkflowService workflows) {
        this.workflows = workflows;
    }

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    /** Not reused unless a node asks: the workflow it runs may change, or call out. */
    @Override
    public Caching caching() {
        return Caching.ON_REQUEST;
    }

    @Override
    public Uni<Map<String, JsonNode>> run(NodeCall call) {
        Integer version = call.config().has("version") ? call.config().get("version").asInt() : null;
        JsonNode inputs = call.input("inputs").isObject() ? call.input("inputs") : JsonNodeFactory.instance.objectNode();
        String workflowId = call.config().get("workflow_id").asText();
        return workflows.graph(call.caller().ownerId(), workflowId, version)
                .onFailure(ProblemException.class).transform(e -> NodeFailure.permanent("sub-workflow: " + e.getMessage()))
                .chain(graph -> call.runNested(workflowId, graph, inputs))
                .map(outputs -> Map.of("outputs", outputs));
    }
}
