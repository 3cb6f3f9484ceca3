package dev.suite.workflow.nodes.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.suite.workflow.nodes.ConfigSchema;
import dev.suite.workflow.nodes.Handle;
import dev.suite.workflow.nodes.HandleType;
import dev.suite.workflow.nodes.NodeCall;
import dev.suite.workflow.nodes.NodeFailure;
import dev.suite.workflow.nodes.NodeSpec;
import dev.suite.workflow.nodes.NodeType;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;

/**
 * Text from a template: {@code {{name}}} and {@code {{user.name}}} come from the {@code values}
 * object, {@code {{text}}} from the {@code text} input.
 */
@ApplicationScoped
public class TextTemplateNode implements NodeType {

    private static final NodeSpec SPEC = new NodeSpec("text_template", "text",
            "Text from a template with {{placeholders}} filled from the inputs",
            List.of(Handle.in("values", HandleType.OBJECT, false, "Values for the placeholders"),
                    Handle.in("text", HandleType.STRING, false, "Fills {{text}}")),
            List.of(Handle.out("text", HandleType.STRING, null)),
            ConfigSchema.create().string("template", true, "For example: Summarize {{text}} for {{user.name}}")
                    .bool("strict", false, "Fail on a placeholder without a value instead of leaving it empty"));

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
        String bad = Templates.badPlaceholder(config.get("template").asText());
        return bad == null ? List.of() : List.of("config.template has a placeholder that is not a path: " + bad);
    }

    @Override
    public Uni<Map<String, JsonNode>> run(NodeCall call) {
        ObjectNode scope = call.input("values").isObject() ? ((ObjectNode) call.input("values")).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        if (call.hasInput("text")) {
            scope.set("text", call.input("text"));
        }
        boolean strict = call.config().path("strict").asBoolean(false);
        return Uni.createFrom().item(() -> Map.of("text", TextNode.valueOf(Templates.render(
                call.config().get("template").asText(), scope, path -> {
                    if (strict) {
                        throw NodeFailure.permanent("no value for {{" + path + "}}");
                    }
                    return "";
                }))));
    }
}
