package dev.suite.workflow.nodes.builtin;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code {{path}}} placeholders in text, filled from JSON: strings as they are, other values as JSON. */
final class Templates {

    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}\\s]+)\\s*}}");

    private Templates() {
    }

    /** The first placeholder whose path is not valid, or null. */
    static String badPlaceholder(String template) {
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (JsonPaths.parse(m.group(1)) == null) {
                return m.group(1);
            }
        }
        return null;
    }

    /**
     * Fills the placeholders; {@code missing} is called with the path of one that has no value and
     * answers its text (or throws).
     */
    static String render(String template, JsonNode scope, Function<String, String> missing) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            List<Object> steps = JsonPaths.parse(m.group(1));
            JsonNode value = steps == null ? null : JsonPaths.read(scope, steps);
            String text = value == null || value.isNull() ? missing.apply(m.group(1))
                    : value.isTextual() ? value.asText() : value.toString();
            m.appendReplacement(out, Matcher.quoteReplacement(text));
        }
        m.appendTail(out);
        return out.toString();
    }
}
