package dev.suite.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the route fuzzer sends: a plausible body for a schema, and the hostile variants of bodies,
 * path ids and query values that the services must refuse with a 4xx problem.
 */
final class Mutations {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String OVERLONG = "A".repeat(100_000);

    /** A named body variant: the JSON text as sent, which need not be valid JSON. */
    record Body(String name, String text) {
    }

    private Mutations() {
    }

    /** A plausible instance of a schema: its example when it has one, else built from the types. */
    static JsonNode instance(JsonNode schema, JsonNode components, int depth) {
        schema = resolve(schema, components);
        if (schema.has("example")) {
            return schema.get("example");
        }
        if (schema.has("examples") && schema.get("examples").isArray() && !schema.get("examples").isEmpty()) {
            return schema.get("examples").get(0);
        }
        if (schema.has("enum") && !schema.get("enum").isEmpty()) {
            return schema.get("enum").get(0);
        }
        if (schema.has("default")) {
            return schema.get("default");
        }
        switch (type(schema)) {
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                if (depth < 4) {
                    schema.path("properties").fields().forEachRemaining(p -> {
                        if (!p.getValue().path("readOnly").asBoolean(false)) {
                            object.set(p.getKey(), instance(p.getValue(), components, depth + 1));
                        }
                    });
                }
                return object;
            }
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                if (depth < 4 && schema.has("items")) {
                    array.add(instance(schema.get("items"), components, depth + 1));
                }
                return array;
            }
            case "integer" -> {
                return NODES.numberNode(schema.path("minimum").asInt(1));
            }
            case "number" -> {
                return NODES.numberNode(schema.path("minimum").asDouble(1.5));
            }
            case "boolean" -> {
                return NODES.booleanNode(true);
            }
            default -> {
                return NODES.textNode("fuzz-" + Long.toHexString(System.nanoTime()));
            }
        }
    }

    static JsonNode resolve(JsonNode schema, JsonNode components) {
        for (int i = 0; i < 10 && schema.has("$ref"); i++) {
            String ref = schema.get("$ref").asText();
            schema = components.path("schemas").path(ref.substring(ref.lastIndexOf('/') + 1));
        }
        if (schema.has("allOf") && schema.get("allOf").isArray() && !schema.get("allOf").isEmpty()) {
            return resolve(schema.get("allOf").get(0), components);
        }
        return schema;
    }

    static String type(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type == null) {
            return schema.has("properties") ? "object" : "string";
        }
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (!"null".equals(t.asText())) {
                    return t.asText();
                }
            }
        }
        return type.asText();
    }

    /**
     * Every hostile variant of a body: wrong top-level JSON, broken JSON, deep nesting, and for
     * each field of the baseline a wrong type, null, an overlong string, a lone surrogate, a NUL,
     * and its absence.
     */
    static List<Body> bodies(JsonNode baseline) {
        List<Body> out = new ArrayList<>();
        for (String text : List.of("[]", "\"text\"", "42", "null", "true", "{}", "", "{", "{\"a\":}", "not json",
                "{\"a\":1,}", "\ufeff{}", "{\"a\":\"\\ud800\"}")) {
            out.add(new Body("top-level " + shown(text), text));
        }
        out.add(new Body("nested objects 5000 deep", "{\"a\":".repeat(5000) + "1" + "}".repeat(5000)));
        out.add(new Body("nested arrays 20000 deep", "[".repeat(20_000) + "]".repeat(20_000)));
        if (!(baseline instanceof ObjectNode object)) {
            return out;
        }
        out.add(new Body("an unknown field", with(object, "zz_unknown_field", NODES.numberNode(1)).toString()));
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        object.fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue()));
        for (Map.Entry<String, JsonNode> field : fields.entrySet()) {
            String name = field.getKey();
            ObjectNode without = object.deepCopy();
            without.remove(name);
            out.add(new Body("without " + name, without.toString()));
            for (Map.Entry<String, JsonNode> wrong : wrongValues(field.getValue()).entrySet()) {
                out.add(new Body(name + " = " + wrong.getKey(), with(object, name, wrong.getValue()).toString()));
            }
            // Escapes Jackson would not write: a lone surrogate and a NUL inside the string.
            String marker = "\"" + name + "\":";
            String base = with(object, name, NODES.textNode("@@")).toString();
            out.add(new Body(name + " = lone surrogate", base.replace(marker + "\"@@\"", marker + "\"x\\udc00y\"")));
            out.add(new Body(name + " = NUL", base.replace(marker + "\"@@\"", marker + "\"x\\u0000y\"")));
            if (field.getValue() instanceof ObjectNode nested) {
                nested.fields().forEachRemaining(inner -> {
                    for (Map.Entry<String, JsonNode> wrong : wrongValues(inner.getValue()).entrySet()) {
                        ObjectNode copy = object.deepCopy();
                        ((ObjectNode) copy.get(name)).set(inner.getKey(), wrong.getValue());
                        out.add(new Body(name + "." + inner.getKey() + " = " + wrong.getKey(), copy.toString()));
                    }
                });
            }
        }
        return out;
    }

    /** Values of another type than {@code value}'s, null, and an overlong string. */
    private static Map<String, JsonNode> wrongValues(JsonNode value) {
        Map<String, JsonNode> wrong = new LinkedHashMap<>();
        wrong.put("null", NODES.nullNode());
        if (!value.isTextual()) {
            wrong.put("a string", NODES.textNode("wrong"));
        }
        if (!value.isNumber()) {
            wrong.put("a number", NODES.numberNode(123));
        }
        wrong.put("a huge number", NODES.numberNode(new java.math.BigDecimal("1e400")));
        wrong.put("-1", NODES.numberNode(-1));
        if (!value.isBoolean()) {
            wrong.put("a boolean", NODES.booleanNode(true));
        }
        if (!value.isArray()) {
            wrong.put("an array", NODES.arrayNode().add(1));
        }
        if (!value.isObject()) {
            wrong.put("an object", NODES.objectNode().put("a", 1));
        }
        wrong.put("100 KB of text", NODES.textNode(OVERLONG));
        wrong.put("an empty string", NODES.textNode(""));
        return wrong;
    }

    private static ObjectNode with(ObjectNode object, String name, JsonNode value) {
        ObjectNode copy = object.deepCopy();
        copy.set(name, value);
        return copy;
    }

    /** Path segment values: malformed, encoded, overlong, and well-formed ids that name nothing. */
    static List<String> badIds() {
        return List.of("x", "0", "-1", "%27%22%3C%3E", "a".repeat(300), "%00", "%2e%2e", "..%2F..%2Fq",
                "01890a5d-ac96-774b-bcce-b302099a8057", "ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ", "%F0%9F%98%80",
                "null", "%20");
    }

    /** Query values: wrong types, out of range, overlong, encoded control characters. */
    static List<String> badQueryValues() {
        return List.of("abc", "-1", "0", "99999999999999999999", "", "x".repeat(5000), "%00", "1.5", "true",
                "2026-13-45T99:99:99Z", "%ED%A0%80");
    }

    static String shown(String text) {
        return text.length() > 20 ? text.substring(0, 20) + "…" : text;
    }
}
