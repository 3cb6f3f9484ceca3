package dev.suite.workflow.graph;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** An input a run of the graph takes (read by {@code interface_input} nodes of that name). */
@RegisterForReflection
public record InterfaceInput(String name, String type, Boolean required, @JsonProperty("default") JsonNode defaultValue,
        String description) {

    public boolean isRequired() {
        return Boolean.TRUE.equals(required);
    }
}
