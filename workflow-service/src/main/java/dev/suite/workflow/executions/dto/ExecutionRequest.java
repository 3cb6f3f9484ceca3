package dev.suite.workflow.executions.dto;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.workflow.graph.Graph;
import dev.suite.workflow.graph.GraphEdge;
import dev.suite.workflow.graph.GraphNode;
import dev.suite.workflow.graph.InterfaceInput;
import dev.suite.workflow.graph.InterfaceOutput;
import dev.suite.workflow.graph.OutputMapping;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * An execution to queue: a saved workflow ({@code workflow_id}, optionally a {@code version}) or
 * an inline graph (the {@code WorkflowExecutionPayload} of the original protocol), with the run's
 * {@code inputs} and a {@code priority}. The body of {@code POST /api/executions}, of
 * {@code POST /api/workflows/{id}/run} (where the path names the workflow) and the payload of a
 * {@code PROMPT_REQUEST}.
 */
@RegisterForReflection
@Schema(name = "ExecutionRequest")
public class ExecutionRequest {

    public String workflowId;

    @Min(1)
    public Integer version;

    public List<GraphNode> nodes;
    public List<GraphEdge> edges;
    public List<InterfaceInput> interfaceInputs;
    public List<InterfaceOutput> interfaceOutputs;
    public Map<String, OutputMapping> outputMappings;

    @Schema(description = "Values of the graph's interface inputs, by name")
    public JsonNode inputs;

    @Min(0)
    @Max(9)
    @Schema(defaultValue = "5", description = "0 (lowest) to 9 (highest); FIFO within a priority")
    public Integer priority;

    public boolean hasInlineGraph() {
        return nodes != null || edges != null;
    }

    public Graph graph() {
        return new Graph(nodes, edges, interfaceInputs, interfaceOutputs, outputMappings);
    }
}
