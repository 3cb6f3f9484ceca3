package dev.suite.workflow;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A faithful stand-in for task-service's routes the media node uses: {@code POST
 * /api/v1/process/{kind}} (201 with the task), {@code GET /api/v1/tasks/{id}} and {@code DELETE
 * /api/v1/tasks/{id}} (cancel), with task-service's field names and states. A task advances 50%
 * per read and then completes with output file ids; {@code params.operation = "corrupt"} fails,
 * {@code "forever"} never ends. Another user's task is a 404 problem, as in task-service.
 */
public final class FakeTaskService {

    private final Vertx vertx;
    private HttpServer server;
    public final Map<String, JsonObject> tasks = new ConcurrentHashMap<>();
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    public final AtomicInteger cancels = new AtomicInteger();
    /** By task id, the {@code traceparent} header ("null" when none came) of each call about it: its create, its reads. */
    public final Map<String, List<String>> traceparents = new ConcurrentHashMap<>();

    public FakeTaskService(Vertx vertx) {
        this.vertx = vertx;
    }

    public int start() throws Exception {
        server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return server.actualPort();
    }

    private void handle(HttpServerRequest request) {
        String user = String.valueOf(request.getHeader("Authorization"));
        String path = request.path();
        request.body().onSuccess(body -> {
            if (request.method().name().equals("POST") && path.startsWith("/api/v1/process/")) {
                JsonObject in = body.toJsonObject();
                String id = UUID.randomUUID().toString();
                JsonObject task = new JsonObject().put("task_id", id).put("type", path.substring(16)).put("state", "READY")
                        .put("priority", in.getInteger("priority", 5)).put("params", in.getJsonObject("params"))
                        .put("input_file_ids", in.getJsonArray("input_file_ids", new JsonArray())).put("progress", 0)
                        .put("idempotency_key", in.getString("idempotency_key"));
                tasks.put(id, task);
                owners.put(id, user);
                traced(id, request);
                json(request, 201, task);
                return;
            }
            String id = path.startsWith("/api/v1/tasks/") ? path.substring(14) : "";
            JsonObject task = tasks.get(id);
            if (task == null || !owners.get(id).equals(user)) {
                problem(request, 404, "Task not found.");
                return;
            }
            traced(id, request);
            if (request.method().name().equals("DELETE")) {
                cancels.incrementAndGet();
                task.put("state", "CANCELLED");
                json(request, 200, task);
                return;
            }
            advance(task);
            json(request, 200, task);
        });
    }

    private void traced(String taskId, HttpServerRequest request) {
        traceparents.computeIfAbsent(taskId, id -> new CopyOnWriteArrayList<>()).add(String.valueOf(request.getHeader("traceparent")));
    }

    private static void advance(JsonObject task) {
        String operation = task.getJsonObject("params", new JsonObject()).getString("operation", "");
        if (!task.getString("state").equals("READY") && !task.getString("state").equals("PROCESSING")
                || operation.equals("forever")) {
            return;
        }
        if (operation.equals("corrupt")) {
            task.put("state", "FAILED").put("error", "not an image: unsupported format");
            return;
        }
        int progress = task.getInteger("progress") + 50;
        task.put("progress", progress).put("state", progress >= 100 ? "COMPLETED" : "PROCESSING");
        if (progress >= 100) {
            task.put("result", new JsonObject().put("output_file_ids", new JsonArray().add("file-" + task.getString("task_id"))));
        }
    }

    private static void json(HttpServerRequest request, int status, JsonObject body) {
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    private static void problem(HttpServerRequest request, int status, String detail) {
        request.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json")
                .end(new JsonObject().put("type", "urn:suite:problem:not-found").put("title", "Not found")
                        .put("status", status).put("detail", detail).encode());
    }
}
