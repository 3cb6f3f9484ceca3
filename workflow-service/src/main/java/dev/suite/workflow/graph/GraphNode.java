package dev.suite.workflow.graph;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A node: its type from the catalog, literal values for inputs no edge feeds ({@code inputs}),
 * its {@code config}, and {@code bypassed} (the node is not run; its inputs pass through).
 */
@RegisterForReflection
public record GraphNode(String id, String type, JsonNode inputs, JsonNode config, Boolean bypassed) {

    public boolean isBypassed() {
        return Boolean.TRUE.equals(bypassed);
    }
}
