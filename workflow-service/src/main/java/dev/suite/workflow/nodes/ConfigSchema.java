package dev.suite.workflow.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node type's config: the JSON Schema the catalog shows, and the check the validator runs, from
 * one declaration. Every node also takes the engine's policy keys: {@code timeout_ms},
 * {@code retries}, {@code retry_backoff_ms}, {@code cache} and {@code on_error}.
 */
public final class ConfigSchema {

    public static final List<String> ON_ERROR = List.of("stop", "continue", "error_branch");

    private record Field(String name, String kind, boolean required, List<String> choices, Long min, Long max,
            String description) {
    }

    private final Map<String, Field> fields = new LinkedHashMap<>();

    private ConfigSchema() {
        integer("timeout_ms", false, 1, 86_400_000L, "Time limit of one attempt (default: suite.workflow.node-timeout)");
        integer("retries", false, 0, 10, "Further attempts after a failure that may pass (an upstream error or timeout)");
        integer("retry_backoff_ms", false, 0, 600_000, "Wait before the first retry, doubled for each next one (default 500)");
        bool("cache", false, "Reuse the outputs of an earlier run of this node with the same config and inputs (the "
                + "user's own): each type says its default — off for types that call out, wait or vary, and for the "
                + "built-in transforms, which cost less to run than a look-up; true opts in, false opts out");
        choice("on_error", false, ON_ERROR, "stop: the node fails, its descendants are skipped and the execution "
                + "ends failed once the other branches finish; continue: its outputs are null and its descendants "
                + "run; error_branch: its 'error' output carries the error and its other outputs are not produced");
    }

    public static ConfigSchema create() {
        return new ConfigSchema();
    }

    public ConfigSchema string(String name, boolean required, String description) {
        return add(new Field(name, "string", required, null, null, null, description));
    }

    public ConfigSchema integer(String name, boolean required, long min, long max, String description) {
        return add(new Field(name, "integer", required, null, min, max, description));
    }

    public ConfigSchema number(String name, boolean required, String description) {
        return add(new Field(name, "number", required, null, null, null, description));
    }

    public ConfigSchema bool(String name, boolean required, String description) {
        return add(new Field(name, "boolean", required, null, null, null, description));
    }

    public ConfigSchema object(String name, boolean required, String description) {
        return add(new Field(name, "object", required, null, null, null, description));
    }

    public ConfigSchema array(String name, boolean required, String description) {
        return add(new Field(name, "array", required, null, null, null, description));
    }

    /** Any JSON value. */
    public ConfigSchema value(String name, boolean required, String description) {
        return add(new Field(name, null, required, null, null, null, description));
    }

    public ConfigSchema choice(String name, boolean required, List<String> choices, String description) {
        return add(new Field(name, "string", required, List.copyOf(choices), null, null, description));
    }

    private ConfigSchema add(Field field) {
        fields.put(field.name(), field);
        return this;
    }

    public ObjectNode toJsonSchema() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode schema = json.objectNode().put("type", "object").put("additionalProperties", false);
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = json.arrayNode();
        for (Field field : fields.values()) {
            ObjectNode property = properties.putObject(field.name());
            if (field.kind() != null) {
                property.put("type", field.kind());
            }
            if (field.choices() != null) {
                field.choices().forEach(property.putArray("enum")::add);
            }
            if (field.min() != null) {
                property.put("minimum", field.min());
            }
            if (field.max() != null) {
                property.put("maximum", field.max());
            }
            if (field.description() != null) {
                property.put("description", field.description());
            }
            if (field.required()) {
                required.add(field.name());
            }
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        return schema;
    }

    /** What is wrong with {@code config}, each problem naming its field. */
    public List<String> check(JsonNode config) {
        List<String> problems = new ArrayList<>();
        if (config != null && !config.isNull() && !config.isObject()) {
            problems.add("config must be an object");
            return problems;
        }
        for (Field field : fields.values()) {
            JsonNode value = config == null ? null : config.get(field.name());
            if (value == null || value.isNull()) {
                if (field.required()) {
                    problems.add("config." + field.name() + " is required");
                }
                continue;
            }
            String problem = checkValue(field, value);
            if (problem != null) {
                problems.add("config." + field.name() + " " + problem);
            }
        }
        if (config != null && config.isObject()) {
            config.fieldNames().forEachRemaining(name -> {
                if (!fields.containsKey(name)) {
                    problems.add("config." + name + " is not a setting of this node type");
                }
            });
        }
        return problems;
    }

    private static String checkValue(Field field, JsonNode value) {
        if (field.kind() == null) {
            return null;
        }
        switch (field.kind()) {
            case "string" -> {
                if (!value.isTextual()) {
                    return "must be a string";
                }
                if (field.choices() != null && !field.choices().contains(value.asText())) {
                    return "must be one of " + String.join(", ", field.choices());
                }
            }
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    return "must be an integer";
                }
                if (value.asLong() < field.min() || value.asLong() > field.max()) {
                    return "must be between " + field.min() + " and " + field.max();
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    return "must be a number";
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    return "must be true or false";
                }
            }
            case "object" -> {
                if (!value.isObject()) {
                    return "must be an object";
                }
            }
            case "array" -> {
                if (!value.isArray()) {
                    return "must be an array";
                }
            }
            default -> throw new IllegalStateException(field.kind());
        }
        return null;
    }
}
