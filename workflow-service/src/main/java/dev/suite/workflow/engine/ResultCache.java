package dev.suite.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;

import java.util.Map;

/**
 * Node outputs kept by a hash of what made them (the node's type and version, config and inputs),
 * for one owner: a node whose outputs depend on those alone is not run again for the same ones.
 */
public interface ResultCache {

    /** The outputs kept for this key, or null. A cache that fails answers null: the node runs. */
    Uni<Map<String, JsonNode>> find(String key);

    /** Keeps a node's outputs under this key (in the background; a cache that fails keeps nothing). */
    void keep(String key, Map<String, JsonNode> outputs);

    ResultCache NONE = new ResultCache() {
        @Override
        public Uni<Map<String, JsonNode>> find(String key) {
            return Uni.createFrom().nullItem();
        }

        @Override
        public void keep(String key, Map<String, JsonNode> outputs) {
        }
    };
}
