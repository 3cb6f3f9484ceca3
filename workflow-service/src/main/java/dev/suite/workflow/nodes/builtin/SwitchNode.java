package dev.suite.workflow.nodes.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.workflow.nodes.ConfigSchema;
import dev.suite.workflow.nodes.Handle;
import dev.suite.workflow.nodes.HandleType;
import dev.suite.workflow.nodes.NodeCall;
import dev.suite.workflow.nodes.NodeSpec;
import dev.suite.workflow.nodes.NodeType;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Routes its value to the output named like it (or like the value at {@code path}), else to
 * {@code default}; one output per case in {@code cases}.
 */
@ApplicationScoped
public class SwitchNode implements NodeType {

    private static final Handle DEFAULT = Handle.conditionalOut("default", HandleType.ANY, "When no case matches");
    private static final NodeSpec SPEC = new NodeSpec("switch", "control",
            "Sends its value down the branch of the matching case (one output per case, plus default)",
            List.of(Handle.in("value", HandleType.ANY, true, null)), List.of(DEFAULT),
            ConfigSchema.create().array("cases", true, "Case names, each also an output: [\"image\", \"text\"]")
                    .string("path", false, "Match the value at this path of the input ($.kind) instead of all of it"));

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
    public List<Handle> outputs(JsonNode config) {
        List<Handle> outputs = new ArrayList<>();
        config.path("cases").forEach(c -> outputs.add(Handle.conditionalOut(c.asText(), HandleType.ANY, null)));
        outputs.add(DEFAULT);
        return outputs;
    }

    @Override
    public List<String> checkConfig(JsonNode config) {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        JsonNode cases = config.get("cases");
        if (cases.isEmpty() || cases.size() > 64) {
            problems.add("config.cases must have 1 to 64 cases");
        }
        for (JsonNode c : cases) {
            if (!c.isTextual() || c.asText().isBlank() || c.asText().equals("default") || c.asText().equals("error")) {
                problems.add("config.cases must be names other than default and error");
            } else if (!seen.add(c.asText())) {
                problems.add("config.cases has '" + c.asText() + "' twice");
            }
        }
        if (config.has("path") && JsonPaths.parse(config.get("path").asText()) == null) {
            problems.add("config.path is not a path such as $.a.b[0]");
        }
        return problems;
    }

    @Override
    public Uni<Map<String, JsonNode>> run(NodeCall call) {
        JsonNode value = call.input("value");
        JsonNode key = call.config().has("path")
                ? JsonPaths.read(value, JsonPaths.parse(call.config().get("path").asText())) : value;
        String match = "default";
        if (key != null && key.isValueNode()) {
            for (JsonNode c : call.config().get("cases")) {
                if (c.asText().equals(key.asText())) {
                    match = c.asText();
                }
            }
        }
        return Uni.createFrom().item(Map.of(match, value));
    }
}
