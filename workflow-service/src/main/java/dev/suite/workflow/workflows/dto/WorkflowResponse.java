package dev.suite.workflow.workflows.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.suite.workflow.graph.GraphEdge;
import dev.suite.workflow.graph.GraphNode;
import dev.suite.workflow.graph.InterfaceInput;
import dev.suite.workflow.graph.InterfaceOutput;
import dev.suite.workflow.graph.OutputMapping;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A workflow at one version; lists leave the graph out (null fields are not shown). */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkflowResponse(
        String workflowId,
        String name,
        String description,
        int version,
        int latestVersion,
        List<GraphNode> nodes,
        List<GraphEdge> edges,
        List<InterfaceInput> interfaceInputs,
        List<InterfaceOutput> interfaceOutputs,
        Map<String, OutputMapping> outputMappings,
        Instant createdAt,
        Instant updatedAt) {
}
