package dev.suite.workflow.nodes.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.suite.workflow.nodes.ConfigSchema;
import dev.suite.workflow.nodes.Handle;
import dev.suite.workflow.nodes.HandleType;
import dev.suite.workflow.nodes.NodeCall;
import dev.suite.workflow.nodes.NodeSpec;
import dev.suite.workflow.nodes.NodeType;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Builds new JSON from a template shaped like the result: a string that is exactly
 * {@code "{{path}}"} becomes the value at that path of the input (keeping its type); other strings
 * have their placeholders filled as text; everything else is kept.
 */
@ApplicationScoped
public class JsonTransformNode implements NodeType {

    private static final NodeSpec SPEC = new NodeSpec("json_transform", "data",
            "Builds JSON from a template whose \"{{path}}\" strings are filled from the input",
            List.of(Handle.in("value", HandleType.ANY, true, null)),
            List.of(Handle.out("value", HandleType.ANY, null)),
            ConfigSchema.create().value("template", true, "For example {\"title\": \"{{$.name}}\", \"tags\": \"{{$.labels}}\"}"));

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    /** Not reused unless a node asks: running it costs less than looking its outputs up. */
    @Override
    public Caching caching() {
        return Caching.ON_REQUEST;
    }

    @Override
    public List<String> checkConfig(JsonNode config) {
        String bad = firstBad(config.get("template"));
        return bad == null ? List.of() : List.of("config.template has a placeholder that is not a path: " + bad);
    }

    private static String firstBad(JsonNode template) {
        if (template.isTextual()) {
            return Templates.badPlaceholder(template.asText());
        }
        for (JsonNode child : template) {
            String bad = firstBad(child);
            if (bad != null) {
                return bad;
            }
        }
        return null;
    }

    @Override
    public Uni<Map<String, JsonNode>> run(NodeCall call) {
        return Uni.createFrom().item(() -> Map.of("value", fill(call.config().get("template"), call.input("value"))));
    }

    private static JsonNode fill(JsonNode template, JsonNode scope) {
        if (template.isTextual()) {
            Matcher whole = Templates.PLACEHOLDER.matcher(template.asText());
            if (whole.matches()) {
                JsonNode value = JsonPaths.read(scope, JsonPaths.parse(whole.group(1)));
                return value == null ? NullNode.getInstance() : value;
            }
            return TextNode.valueOf(Templates.render(template.asText(), scope, path -> ""));
        }
        if (template.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            template.fields().forEachRemaining(field -> out.set(field.getKey(), fill(field.getValue(), scope)));
            return out;
        }
        if (template.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            template.forEach(item -> out.add(fill(item, scope)));
            return out;
        }
        return template;
    }
}
