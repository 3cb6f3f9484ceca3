package dev.suite.workflow.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;

import java.util.List;
import java.util.Map;

/**
 * A kind of node. A new node type is one {@code @ApplicationScoped} class implementing this: the
 * catalog finds it, the validator checks graphs against its spec, and the engine runs it.
 *
 * <p>{@link #run} must not block: it returns at once and completes its {@code Uni} with the
 * values of its outputs by handle name (a conditional output left out is not produced). It should
 * stop its work when {@link NodeCall#cancellation()} fires (interrupt, timeout).
 */
public interface NodeType {

    NodeSpec spec();

    /** The outputs for a given config, where they depend on it (a switch's cases). */
    default List<Handle> outputs(JsonNode config) {
        return spec().outputs();
    }

    /** Problems with a config beyond what its schema checks, each a sentence naming the field. */
    default List<String> checkConfig(JsonNode config) {
        return List.of();
    }

    /** A join (merge) runs when any of its inputs arrived; other nodes are skipped unless all did. */
    default boolean joinsBranches() {
        return false;
    }

    /**
     * A node that waits for a person (approval): the engine does not run it but records it waiting
     * with {@link #askPerson}, and the execution pauses, holding no replica, until the decision
     * comes through the API and becomes the node's outputs.
     */
    default boolean waitsForPerson() {
        return false;
    }

    /** Whether a node's outputs are reused for the same type, config and inputs (its config's {@code cache} decides per node). */
    enum Caching {
        /** Its outputs depend on its config and inputs alone: reused unless the node says cache: false. */
        BY_DEFAULT,
        /** It calls out, waits or varies (an HTTP call, a model): reused only where the node says cache: true. */
        ON_REQUEST,
        /** Never reused (it waits for a person, or passes the execution's own inputs and outputs). */
        NEVER
    }

    default Caching caching() {
        return Caching.BY_DEFAULT;
    }

    /** Raised when a node type's behaviour changes, so that outputs kept from the earlier behaviour are not reused. */
    default int version() {
        return 1;
    }

    /** What a person deciding a waiting node is shown. */
    default JsonNode askPerson(NodeCall call) {
        return null;
    }

    Uni<Map<String, JsonNode>> run(NodeCall call);
}
