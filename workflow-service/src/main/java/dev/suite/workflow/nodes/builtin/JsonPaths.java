package dev.suite.workflow.nodes.builtin;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Paths into JSON values as nodes take them: {@code $.a.b[0].c}, or without the {@code $.}. Keys
 * are letters, digits, {@code _} and {@code -}; indexes may be negative (from the end).
 */
final class JsonPaths {

    private static final Pattern STEP = Pattern.compile("\\.?([A-Za-z0-9_-]+)|\\[(-?\\d+)]");

    private JsonPaths() {
    }

    /** The steps of a path (keys as strings, indexes as integers); null when it is not a path. */
    static List<Object> parse(String path) {
        String rest = path.startsWith("$") ? path.substring(1) : path;
        if (rest.isEmpty()) {
            return List.of();
        }
        if (!rest.startsWith(".") && !rest.startsWith("[")) {
            rest = "." + rest;
        }
        List<Object> steps = new ArrayList<>();
        Matcher m = STEP.matcher(rest);
        int at = 0;
        while (at < rest.length()) {
            if (!m.find(at) || m.start() != at) {
                return null;
            }
            steps.add(m.group(1) != null ? m.group(1) : (Object) Integer.parseInt(m.group(2)));
            at = m.end();
        }
        return steps;
    }

    /** The value at the path, or null when some step is missing. */
    static JsonNode read(JsonNode value, List<Object> steps) {
        JsonNode at = value;
        for (Object step : steps) {
            if (at == null) {
                return null;
            }
            if (step instanceof Integer index) {
                at = at.isArray() ? at.get(index < 0 ? at.size() + index : index) : null;
            } else {
                at = at.isObject() ? at.get((String) step) : null;
            }
        }
        return at;
    }
}
