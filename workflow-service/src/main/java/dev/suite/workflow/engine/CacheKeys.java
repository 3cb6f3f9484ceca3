package dev.suite.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.workflow.graph.PlanNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The key a node's outputs are kept under: SHA-256 of its type, the type's version, its config
 * (without the engine's policy keys, which do not change what it makes) and its input values, as
 * JSON with every object's fields in order — the same node with the same values has the same key,
 * wherever it stands in whichever graph.
 */
final class CacheKeys {

    private static final Set<String> POLICY_KEYS = Set.of("timeout_ms", "retries", "retry_backoff_ms", "on_error", "cache");

    private CacheKeys() {
    }

    static String of(PlanNode node, Map<String, Object> values) {
        ObjectNode made = JsonNodeFactory.instance.objectNode();
        made.put("type", node.node().type()).put("version", node.type().version());
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        if (node.config() != null) {
            node.config().fields().forEachRemaining(f -> {
                if (!POLICY_KEYS.contains(f.getKey())) {
                    config.set(f.getKey(), f.getValue());
                }
            });
        }
        made.set("config", sorted(config));
        ObjectNode inputs = made.putObject("inputs");
        new TreeMap<>(values).forEach((handle, value) -> inputs.set(handle, sorted((JsonNode) value)));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(made.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The value with every object's fields in name order, so that equal values write equal JSON. */
    private static JsonNode sorted(JsonNode value) {
        if (value == null) {
            return null;
        }
        if (value.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            value.fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue()));
            fields.forEach((name, field) -> out.set(name, sorted(field)));
            return out;
        }
        if (value.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            value.forEach(item -> out.add(sorted(item)));
            return out;
        }
        return value;
    }
}
