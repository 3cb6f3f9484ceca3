package dev.suite.workflow.approvals.dto;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A person's decision on a waiting node; both fields may be left out. */
@Schema(name = "DecisionRequest")
@RegisterForReflection
public class DecisionRequest {

    @Schema(description = "Edited data that goes on in place of the node's value")
    public JsonNode data;

    @Size(max = 2000)
    @Schema(description = "Why, kept in the node's decision output")
    public String comment;
}
