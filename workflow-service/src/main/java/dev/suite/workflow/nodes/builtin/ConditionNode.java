package dev.suite.workflow.nodes.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.suite.workflow.nodes.ConfigSchema;
import dev.suite.workflow.nodes.Handle;
import dev.suite.workflow.nodes.HandleType;
import dev.suite.workflow.nodes.NodeCall;
import dev.suite.workflow.nodes.NodeSpec;
import dev.suite.workflow.nodes.NodeType;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Routes its value to {@code true} or {@code false}: only that output is produced, so the nodes
 * on the other branch are skipped (join the branches again with a merge).
 *
 * <p>{@code matches} takes a user's regular expression: it is RE2 syntax, matched in time linear
 * in the text (no pattern backtracks, so none can hang a thread), compiled when the workflow is
 * saved, and run on a worker thread under the node's timeout, never on the event loop.
 */
@ApplicationScoped
public class ConditionNode implements NodeType {

    static final List<String> OPERATORS = List.of("eq", "ne", "gt", "gte", "lt", "lte", "contains", "matches",
            "exists", "truthy");

    private static final NodeSpec SPEC = new NodeSpec("condition", "control",
            "Sends its value down the true or the false branch",
            List.of(Handle.in("value", HandleType.ANY, true, null)),
            List.of(Handle.conditionalOut("true", HandleType.ANY, "The value, when the test holds"),
                    Handle.conditionalOut("false", HandleType.ANY, "The value, when it does not")),
            ConfigSchema.create().choice("operator", true, OPERATORS,
                            "eq/ne compare JSON values; gt/gte/lt/lte numbers; contains text or arrays; matches a regex")
                    .value("operand", false, "What the value is compared with")
                    .string("path", false, "Test the value at this path of the input ($.status) instead of all of it"));

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
        List<String> problems = new ArrayList<>();
        String operator = config.get("operator").asText();
        if (!List.of("exists", "truthy").contains(operator) && !config.has("operand")) {
            problems.add("config.operand is required for " + operator);
        }
        if (List.of("gt", "gte", "lt", "lte").contains(operator) && config.has("operand") && !config.get("operand").isNumber()) {
            problems.add("config.operand must be a number for " + operator);
        }
        if (operator.equals("matches")) {
            try {
                Pattern.compile(config.path("operand").asText());
            } catch (PatternSyntaxException e) {
                problems.add("config.operand is not an RE2 regular expression: " + e.getDescription());
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
        JsonNode tested = call.config().has("path")
                ? JsonPaths.read(value, JsonPaths.parse(call.config().get("path").asText())) : value;
        String operator = call.config().get("operator").asText();
        Uni<Map<String, JsonNode>> decided = Uni.createFrom().item(() -> {
            boolean holds = test(operator, tested, call.config().get("operand"));
            return Map.of(holds ? "true" : "false", value);
        });
        // A match is linear in the text, but the text may be long: off the event loop, under the timeout.
        return operator.equals("matches") ? decided.runSubscriptionOn(Infrastructure.getDefaultWorkerPool()) : decided;
    }

    static boolean test(String operator, JsonNode value, JsonNode operand) {
        boolean present = value != null && !value.isNull() && !value.isMissingNode();
        return switch (operator) {
            case "exists" -> present;
            case "truthy" -> present && !(value.isBoolean() && !value.asBoolean()) && !(value.isNumber() && value.asDouble() == 0)
                    && !(value.isTextual() && value.asText().isEmpty()) && !(value.isContainerNode() && value.isEmpty());
            case "eq" -> present ? equal(value, operand) : operand == null || operand.isNull();
            case "ne" -> !(present ? equal(value, operand) : operand == null || operand.isNull());
            case "gt" -> present && value.isNumber() && value.asDouble() > operand.asDouble();
            case "gte" -> present && value.isNumber() && value.asDouble() >= operand.asDouble();
            case "lt" -> present && value.isNumber() && value.asDouble() < operand.asDouble();
            case "lte" -> present && value.isNumber() && value.asDouble() <= operand.asDouble();
            case "contains" -> present && (value.isTextual() ? value.asText().contains(operand.asText())
                    : value.isArray() && contains(value, operand));
            case "matches" -> present && value.isTextual() && Pattern.compile(operand.asText()).matcher(value.asText()).find();
            default -> throw new IllegalArgumentException(operator);
        };
    }

    private static boolean equal(JsonNode a, JsonNode b) {
        if (a.isNumber() && b != null && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static boolean contains(JsonNode array, JsonNode item) {
        for (JsonNode element : array) {
            if (equal(element, item)) {
                return true;
            }
        }
        return false;
    }
}
