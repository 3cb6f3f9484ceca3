package dev.suite.workflow.nodes.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * Waits for a person: the execution pauses here (durably, holding no replica) until someone
 * approves or rejects through {@code POST /api/executions/{id}/nodes/{node}/approve|reject},
 * optionally with edited data. The value (or the edited data) goes down {@code approved} or
 * {@code rejected}; {@code decision} says who decided what, when. Every config field has a default:
 * with {@code config: {}} the node waits for a person, however long it takes.
 */
@ApplicationScoped
public class ApprovalNode implements NodeType {

    public static final String TYPE = "approval";
    public static final List<String> ON_TIMEOUT = List.of("reject", "approve", "fail");

    private static final NodeSpec SPEC = new NodeSpec(TYPE, "control", "Waits for a person to approve or reject its value",
            List.of(Handle.in("value", HandleType.ANY, false, "What the person decides on")),
            List.of(Handle.conditionalOut("approved", HandleType.ANY, "The value (or the data the approver sent), when approved"),
                    Handle.conditionalOut("rejected", HandleType.ANY, "The value (or the data sent), when rejected"),
                    Handle.out("decision", HandleType.OBJECT, "{approved, by, comment, at}")),
            ConfigSchema.create().string("message", false, "What the person is asked (shown with the value)")
                    .integer("timeout_seconds", false, 0, 31_536_000L, "How long to wait; 0 or absent: until someone decides")
                    .choice("on_timeout", false, ON_TIMEOUT, "What a timeout decides (default reject); fail ends the execution"));

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    /** Never reused: a person decides each time. */
    @Override
    public Caching caching() {
        return Caching.NEVER;
    }

    @Override
    public boolean waitsForPerson() {
        return true;
    }

    @Override
    public JsonNode askPerson(NodeCall call) {
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        request.put("message", call.config().path("message").asText(""));
        request.set("value", call.input("value"));
        long timeout = call.config().path("timeout_seconds").asLong(0);
        if (timeout > 0) {
            request.put("timeout_seconds", timeout);
            request.put("on_timeout", call.config().path("on_timeout").asText("reject"));
        }
        return request;
    }

    @Override
    public Uni<Map<String, JsonNode>> run(NodeCall call) {
        // The engine never runs a node that waits for a person; its decision becomes its outputs.
        return Uni.createFrom().failure(NodeFailure.permanent("an approval is decided through the API"));
    }
}
