package dev.suite.workflow.nodes.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.calls.Caller;
import dev.suite.commons.calls.SuiteHttp;
import dev.suite.workflow.nodes.ConfigSchema;
import dev.suite.workflow.nodes.Handle;
import dev.suite.workflow.nodes.HandleType;
import dev.suite.workflow.nodes.NodeCall;
import dev.suite.workflow.nodes.NodeFailure;
import dev.suite.workflow.nodes.NodeSpec;
import dev.suite.workflow.nodes.NodeType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

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

    private final SuiteHttp http;
    private final ObjectMapper mapper;
    private final Vertx vertx;

    public MediaTaskNode(Vertx vertx, ObjectMapper mapper, @ConfigProperty(name = "suite.task.url") URI base) {
        this.http = new SuiteHttp(vertx, base);
        this.mapper = mapper;
        this.vertx = vertx;
    }

    @PreDestroy
    void close() {
        http.close();
    }

    @Override
    public NodeSpec spec() {
        return SPEC;
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
        long interval = call.config().path("poll_interval_ms").asLong(500);
        return Uni.createFrom().emitter(emitter -> send(HttpMethod.POST,
                "/api/v1/process/" + call.config().get("kind").asText(), call.caller(), body)
                .onFailure(emitter::fail)
                .onSuccess(task -> {
                    String id = task.path("task_id").asText();
                    call.cancellation().onCancel(() -> send(HttpMethod.DELETE, "/api/v1/tasks/" + id, call.caller(), null));
                    poll(call, id, task, interval, emitter::complete, emitter::fail);
                }));
    }

    private void poll(NodeCall call, String id, JsonNode task, long interval,
            Consumer<Map<String, JsonNode>> done, Consumer<Throwable> failed) {
        if (call.cancellation().isCancelled()) {
            return;
        }
        String state = task.path("state").asText();
        switch (state) {
            case "COMPLETED" -> {
                done.accept(Map.of("result", task.has("result") ? task.get("result") : NullNode.getInstance(), "task", task));
                return;
            }
            case "FAILED", "CANCELLED" -> {
                failed.accept(NodeFailure.permanent("task " + id + " " + state.toLowerCase()
                        + (task.hasNonNull("error") ? ": " + task.get("error").asText() : "")));
                return;
            }
            default -> call.progress(task.path("progress").asDouble(0) / 100.0, "task " + id + " " + state.toLowerCase());
        }
        vertx.setTimer(interval, t -> send(HttpMethod.GET, "/api/v1/tasks/" + id, call.caller(), null)
                .onFailure(failed::accept)
                .onSuccess(next -> poll(call, id, next, interval, done, failed)));
    }

    private Future<JsonNode> send(HttpMethod method, String path, Caller caller, JsonNode body) {
        return http.request(method, path, caller, "application/json", Duration.ofSeconds(30))
                .compose(request -> body == null ? request.send() : request.send(Buffer.buffer(body.toString())))
                .compose(response -> response.body().map(text -> {
                    if (response.statusCode() >= 300) {
                        throw UpstreamFailures.status("task-service", response.statusCode(), text.toString());
                    }
                    try {
                        return mapper.readTree(text.getBytes());
                    } catch (Exception e) {
                        throw NodeFailure.transientFailure("task-service answered something that is not JSON");
                    }
                }))
                .recover(e -> Future.failedFuture(UpstreamFailures.of("task-service", e)));
    }
}
