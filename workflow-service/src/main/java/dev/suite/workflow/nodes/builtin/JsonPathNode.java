package dev.suite.workflow.nodes.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
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

/** Picks a value out of a JSON input by path. */
@ApplicationScoped
public class JsonPathNode implements NodeType {

    private static final NodeSpec SPEC = new NodeSpec("json_path", "data", "Picks a value out of JSON by path ($.a.b[0])",
            List.of(Handle.in("value", HandleType.ANY, true, null)),
            List.of(Handle.out("value", HandleType.ANY, "The value at the path (null when missing)")),
            ConfigSchema.create().string("path", true, "For example $.choices[0].message")
                    .bool("required", false, "Fail when the path is missing instead of giving null"));

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
        return JsonPaths.parse(config.get("path").asText()) == null
                ? List.of("config.path is not a path such as $.a.b[0]") : List.of();
    }

    @Override
    public Uni<Map<String, JsonNode>> run(NodeCall call) {
        String path = call.config().get("path").asText();
        JsonNode value = JsonPaths.read(call.input("value"), JsonPaths.parse(path));
        if (value == null && call.config().path("required").asBoolean(false)) {
            return Uni.createFrom().failure(NodeFailure.permanent("nothing at " + path));
        }
        return Uni.createFrom().item(Map.of("value", value == null ? NullNode.getInstance() : value));
    }
}
