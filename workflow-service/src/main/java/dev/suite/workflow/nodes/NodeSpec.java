package dev.suite.workflow.nodes;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/** A node type as the catalog shows it: its handles and the JSON Schema of its config. */
@RegisterForReflection
public record NodeSpec(String type, String category, String description, List<Handle> inputs, List<Handle> outputs,
        @JsonIgnore ConfigSchema config) {

    @JsonProperty("config_schema")
    public JsonNode configSchema() {
        return config.toJsonSchema();
    }
}
