package dev.suite.workflow.nodes.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.calls.Background;
import dev.suite.commons.calls.Caller;
import dev.suite.workflow.nodes.ConfigSchema;
import dev.suite.workflow.nodes.Handle;
import dev.suite.workflow.nodes.HandleType;
import dev.suite.workflow.nodes.NodeCall;
import dev.suite.workflow.nodes.NodeFailure;
import dev.suite.workflow.nodes.NodeSpec;
import dev.suite.workflow.nodes.NodeType;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A media task in task-service ({@code POST /api/v1/process/{kind}}), waited for: the task is
 * polled until it ends, its progress shown as {@code NODE_PROGRESS}; an interrupt or timeout
 * cancels it there too. A failed or cancelled task fails the node.
 */
@ApplicationScoped
public class MediaTaskNode implements NodeType {

    private static final NodeSpec SPEC = new NodeSpec("media_task", "media",
            "Processes images or video in task-service and waits for the result",
            List.of(Handle.in("file_ids", HandleType.ARRAY, false, "Input file ids (task-service files)"),
                    Handle.in("params", HandleType.OBJECT, false, "Merged over config.params")),
            List.of(Handle.out("result", HandleType.ANY, "The task's result (output file ids, probe data, …)"),
                    Handle.out("task", HandleType.OBJECT, "The finished task")),
            ConfigSchema.create().choice("kind", true, List.of("image", "video", "batch"), "The processor")
                    .object("params", false, "The processor's parameters, e.g. {operation: thumbnail, size: 256}")
                    .integer("priority", false, 0, 9, "Task priority (default 5)")
                    .integer("poll_interval_ms", false, 50, 60_000, "How often the task is checked (default 500)"));

    private static final Logger LOG = Logger.getLogger(MediaTaskNode.class);
    private static final String SERVICE = "task-service";

    private final TaskServiceClient tasks;
    private final ObjectMapper mapper;

    public MediaTaskNode(@RestClient TaskServiceClient tasks, ObjectMapper mapper) {
        this.tasks = tasks;
        this.mapper = mapper;
    }

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    /** Not reused unless a node asks: it makes files in task-service. */
    @Override
    public Caching caching() {
        return Caching.ON_REQUEST;
    }

    @Override
    public Uni<Map<String, JsonNode>> run(NodeCall call) {
        ObjectNode params = call.config().path("params").isObject()
                ? ((ObjectNode) call.config().get("params")).deepCopy() : mapper.createObjectNode();
        if (call.input("params").isObject()) {
            params.setAll((ObjectNode) call.input("params"));
        }
        ObjectNode body = mapper.createObjectNode();
        body.set("params", params);
        if (call.input("file_ids").isArray()) {
            body.set("input_file_ids", call.input("file_ids"));
        }
        body.put("priority", call.config().path("priority").asInt(5));
        body.put("idempotency_key", call.executionId() + ":" + call.nodeId());
        Duration interval = Duration.ofMillis(call.config().path("poll_interval_ms").asLong(500));
        Caller caller = call.caller();
        return tasks.process(call.config().get("kind").asText(), caller.authorization(), caller.requestId(), body)
                .onItem().transformToUni(task -> {
                    String id = task.path("task_id").asText();
                    progress(call, task);
                    call.cancellation().onCancel(() -> Background.run(
                            tasks.cancel(id, caller.authorization(), caller.requestId()), LOG, "cancelling task " + id));
                    return ended(task) ? Uni.createFrom().item(task) : Uni.createFrom().voidItem()
                            .onItem().delayIt().by(interval)
                            .chain(() -> tasks.task(id, caller.authorization(), caller.requestId()))
                            .invoke(next -> progress(call, next))
                            .repeat().whilst(next -> !ended(next))
                            .collect().last();
                })
                .onFailure().transform(e -> UpstreamFailures.of(SERVICE, e))
                .map(MediaTaskNode::outcome);
    }

    private static boolean ended(JsonNode task) {
        return switch (task.path("state").asText()) {
            case "COMPLETED", "FAILED", "CANCELLED" -> true;
            default -> false;
        };
    }

    private static void progress(NodeCall call, JsonNode task) {
        if (!ended(task)) {
            call.progress(task.path("progress").asDouble(0) / 100.0,
                    "task " + task.path("task_id").asText() + " " + task.path("state").asText().toLowerCase());
        }
    }

    private static Map<String, JsonNode> outcome(JsonNode task) {
        String state = task.path("state").asText();
        if (!state.equals("COMPLETED")) {
            throw NodeFailure.permanent("task " + task.path("task_id").asText() + " " + state.toLowerCase()
                    + (task.hasNonNull("error") ? ": " + task.get("error").asText() : ""));
        }
        return Map.of("result", task.has("result") ? task.get("result") : NullNode.getInstance(), "task", task);
    }
}
