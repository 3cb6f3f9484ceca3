package dev.suite.workflow.executions.dto;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a re-run runs again: a node and its descendants. */
@Schema(name = "RerunRequest")
@RegisterForReflection
public class RerunRequest {

    @NotBlank
    @Size(max = 128)
    @Schema(required = true, description = "The node to run again, with every node downstream of it; the others keep "
            + "their outputs from the execution re-run")
    public String fromNode;
}
