package dev.suite.workflow.workflows.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.suite.workflow.graph.Graph;
import dev.suite.workflow.graph.GraphEdge;
import dev.suite.workflow.graph.GraphNode;
import dev.suite.workflow.graph.InterfaceInput;
import dev.suite.workflow.graph.InterfaceOutput;
import dev.suite.workflow.graph.OutputMapping;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * A workflow to create, or the next version of one (PUT replaces the whole graph). The fields a
 * workflow's GET adds (its id, version numbers, times) are the server's: accepted and ignored, so a
 * client can send back what it read.
 */
@RegisterForReflection
@Schema(name = "WorkflowRequest")
@JsonIgnoreProperties({"workflow_id", "version", "latest_version", "created_at", "updated_at"})
public class WorkflowRequest {

    @NotBlank
    @Size(max = 200)
    public String name;

    @Size(max = 10_000)
    public String description;

    public List<GraphNode> nodes;
    public List<GraphEdge> edges;
    public List<InterfaceInput> interfaceInputs;
    public List<InterfaceOutput> interfaceOutputs;
    public Map<String, OutputMapping> outputMappings;

    @Min(1)
    @Schema(description = "On PUT: the version this edit is based on; a 409 if another edit came first")
    public Integer expectedVersion;

    public Graph graph() {
        return new Graph(nodes, edges, interfaceInputs, interfaceOutputs, outputMappings);
    }
}
