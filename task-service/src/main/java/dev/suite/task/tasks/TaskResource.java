package dev.suite.task.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.identity.CurrentUser;
import dev.suite.commons.paging.Page;
import dev.suite.commons.problem.Problem;
import dev.suite.task.events.TaskFeed;
import dev.suite.task.tasks.dto.TaskBatch;
import dev.suite.task.tasks.dto.TaskBatchResponse;
import dev.suite.task.tasks.dto.TaskPatch;
import dev.suite.task.tasks.dto.TaskRequest;
import dev.suite.task.tasks.dto.TaskResponse;
import dev.suite.task.tasks.dto.TaskRetry;
import dev.suite.task.tasks.dto.TaskRetryResponse;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.net.URI;
import java.time.Duration;

@Path("/api/v1/tasks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Tasks", description = "The caller's tasks: queue, follow, reprioritize, cancel, pause, resume, retry.")
@APIResponse(responseCode = "401", description = "Missing or invalid credentials",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class TaskResource {

    /** A comment-free SSE stream still needs traffic, or proxies close it as idle. */
    private static final Duration PING = Duration.ofSeconds(15);

    private final TaskService service;
    private final TaskFeed feed;
    private final CurrentUser user;
    private final ObjectMapper mapper;
    private final Vertx vertx;

    public TaskResource(TaskService service, TaskFeed feed, CurrentUser user, ObjectMapper mapper, Vertx vertx) {
        this.service = service;
        this.feed = feed;
        this.user = user;
        this.mapper = mapper;
        this.vertx = vertx;
    }

    @POST
    @Operation(summary = "Queue a task")
    @APIResponse(responseCode = "201", description = "Queued (READY)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskResponse.class)))
    @APIResponse(responseCode = "200", description = "A task with this idempotency_key exists, or one holds this unique_key "
            + "within its window: that task")
    @APIResponse(responseCode = "400", description = "Invalid fields, listed in errors[]")
    @APIResponse(responseCode = "429", description = "Too many tasks created, or your queue is full; see Retry-After")
    public Uni<Response> create(@NotNull TaskRequest request) {
        return service.create(user.id(), request).map(TaskResource::created);
    }

    @POST
    @Path("/batch")
    @Operation(summary = "Queue many tasks at once", description = "All valid or none stored; field errors are named "
            + "tasks[i].field. A task whose idempotency_key exists answers that task.")
    @APIResponse(responseCode = "201", description = "Queued, in request order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskBatchResponse.class)))
    @APIResponse(responseCode = "200", description = "Every task named an existing idempotency_key: those tasks",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskBatchResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields, listed in errors[]; nothing stored")
    @APIResponse(responseCode = "429", description = "Too many tasks created, or your queue is full; see Retry-After")
    public Uni<Response> createAll(@NotNull TaskBatch batch) {
        return service.createAll(user.id(), batch.tasks).map(all -> Response
                .status(all.stream().anyMatch(TaskService.Created::created) ? Response.Status.CREATED : Response.Status.OK)
                .entity(new TaskBatchResponse(all.stream().map(TaskService.Created::task).toList())).build());
    }

    @PATCH
    @Path("/{id}")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    @Operation(summary = "Change the priority of a task that has not started", description = "A queued task moves to "
            + "its new place at once, keeping its age within the priority.")
    @APIResponse(responseCode = "200", description = "The task")
    @APIResponse(responseCode = "400", description = "Invalid fields, listed in errors[]")
    @APIResponse(responseCode = "404", description = "No such task of yours")
    @APIResponse(responseCode = "409", description = "The task runs or has finished")
    public Uni<TaskResponse> reprioritize(@PathParam("id") String id, @NotNull TaskPatch patch) {
        return service.reprioritize(user.id(), id, patch);
    }

    @POST
    @Path("/retry")
    @Operation(summary = "Queue FAILED tasks again", description = "The dead letters are GET /api/v1/tasks?state=FAILED, "
            + "each with its last error. Each retried task starts with its attempts counted afresh; the others are "
            + "named with why they were not retried.")
    @APIResponse(responseCode = "200", description = "What was retried and what was not")
    @APIResponse(responseCode = "400", description = "Invalid fields, listed in errors[]")
    @APIResponse(responseCode = "429", description = "Your queue is full; see Retry-After")
    public Uni<TaskRetryResponse> retry(@NotNull TaskRetry request) {
        return service.retry(user.id(), request);
    }

    static Response created(TaskService.Created c) {
        return (c.created() ? Response.created(URI.create("/api/v1/tasks/" + c.task().taskId())) : Response.ok())
                .entity(c.task()).build();
    }

    @GET
    @Operation(summary = "List tasks, newest first", description = "state=FAILED is the dead-letter view; schedule_id "
            + "lists the tasks a schedule made")
    @APIResponse(responseCode = "200", description = "A page of your tasks")
    public Uni<Page<TaskResponse>> list(@QueryParam("state") String state, @QueryParam("type") String type,
            @QueryParam("schedule_id") String scheduleId, @QueryParam("limit") String limit, @QueryParam("before") String before) {
        return service.list(user.id(), state, type, scheduleId, limit, before);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A task: state, progress, attempts, result, error, timings and its transitions")
    @APIResponse(responseCode = "200", description = "The task")
    @APIResponse(responseCode = "404", description = "No such task of yours")
    public Uni<TaskResponse> get(@PathParam("id") String id) {
        return service.get(user.id(), id);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Cancel a task", description = "Immediate unless it is running; then its worker stops the "
            + "work (kills ffmpeg, stops a batch) and marks it CANCELLED.")
    @APIResponse(responseCode = "200", description = "Cancelled",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskResponse.class)))
    @APIResponse(responseCode = "202", description = "Was running: its worker was asked to stop (requested: cancel); "
            + "the body shows the task as it stands, which may already be CANCELLED",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskResponse.class)))
    @APIResponse(responseCode = "409", description = "Already finished")
    public Uni<Response> cancel(@PathParam("id") String id) {
        return service.cancel(user.id(), id).map(TaskResource::answer);
    }

    @PUT
    @Path("/{id}/pause")
    @Operation(summary = "Pause a task", description = "A queued task at once; a running batch between items, "
            + "other running tasks by stopping them to start over on resume.")
    @APIResponse(responseCode = "200", description = "Paused",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskResponse.class)))
    @APIResponse(responseCode = "202", description = "Running: pause requested",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskResponse.class)))
    @APIResponse(responseCode = "409", description = "Not in a state that can be paused")
    public Uni<Response> pause(@PathParam("id") String id) {
        return service.pause(user.id(), id).map(TaskResource::answer);
    }

    @PUT
    @Path("/{id}/resume")
    @Operation(summary = "Resume a paused task")
    @APIResponse(responseCode = "200", description = "Queued again")
    @APIResponse(responseCode = "409", description = "Not paused")
    public Uni<TaskResponse> resume(@PathParam("id") String id) {
        return service.resume(user.id(), id);
    }

    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "A live feed of the task", description = "The task as it is now, then each state change "
            + "and progress from whichever replica runs it, until it finishes; a ping every 15 s.")
    @Blocking
    public Multi<JsonNode> events(@PathParam("id") String id) {
        // Read before the stream starts, so that a task that is not the caller's is a plain 404.
        TaskResponse snapshot = service.get(user.id(), id).await().atMost(Duration.ofSeconds(10));
        return Multi.createFrom().<JsonNode>emitter(emitter -> {
            Runnable unfollow = feed.follow(id, event -> {
                ObjectNode copy = event.deepCopy();
                copy.remove("owner_id");
                emitter.emit(copy);
                if (copy.has("state") && TaskState.valueOf(copy.get("state").asText()).finished()) {
                    emitter.complete();
                }
            });
            long ping = vertx.setPeriodic(PING.toMillis(), t -> emitter.emit(mapper.createObjectNode().put("type", "ping")));
            emitter.onTermination(() -> {
                unfollow.run();
                vertx.cancelTimer(ping);
            });
            emitter.emit(mapper.valueToTree(snapshot));
            if (TaskState.valueOf(snapshot.state()).finished()) {
                emitter.complete();
            }
        });
    }

    /** 202 whenever a worker was asked, even if it obeyed before this answer: the status says what was done. */
    private static Response answer(TaskService.Handled handled) {
        return Response.status(handled.handedToWorker() ? 202 : 200).entity(handled.task()).build();
    }
}
