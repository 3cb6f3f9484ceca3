package dev.suite.workflow.graph;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Where an interface output's value comes from: an output handle of a node. */
@RegisterForReflection
public record OutputMapping(String nodeId, String handle) {
}
