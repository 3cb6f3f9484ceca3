package dev.suite.task.tasks;

import dev.suite.task.tasks.dto.TaskResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.identity.CurrentUser;
import dev.suite.task.tasks.dto.TaskRequest;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Shorthands that create a task of one type: the body is a task without its {@code type}. */
@Path("/api/v1/process")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Tasks")
public class ProcessResource {

    private final TaskService service;
    private final CurrentUser user;

    public ProcessResource(TaskService service, CurrentUser user) {
        this.service = service;
        this.user = user;
    }

    @POST
    @Path("/image")
    @Operation(summary = "Process an image", description = "params: operation (resize, thumbnail, crop, rotate, "
            + "convert), width, height, size, x, y, degrees, format (jpeg, png, gif, bmp, tiff), quality")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = ProcessRequestDocument.NAME)))
    @APIResponse(responseCode = "201", description = "Queued (READY)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields, listed in errors[]")
    @APIResponse(responseCode = "429", description = "Too many tasks created, or your queue is full; see Retry-After")
    public Uni<Response> image(@NotNull TaskRequest request) {
        request.type = "image";
        return service.create(user.id(), request).map(TaskResource::created);
    }

    @POST
    @Path("/video")
    @Operation(summary = "Process a video", description = "params: operation (transcode, thumbnail, extract_audio, "
            + "probe), format, at_seconds, width")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = ProcessRequestDocument.NAME)))
    @APIResponse(responseCode = "201", description = "Queued (READY)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields, listed in errors[]")
    @APIResponse(responseCode = "429", description = "Too many tasks created, or your queue is full; see Retry-After")
    public Uni<Response> video(@NotNull TaskRequest request) {
        request.type = "video";
        return service.create(user.id(), request).map(TaskResource::created);
    }

    @POST
    @Path("/batch")
    @Operation(summary = "Process a batch", description = "params: items ([{type, params, input_file_ids}]), "
            + "failure_policy (continue, fail_fast). The items run one after another as child tasks; the batch "
            + "pauses between items and reports their aggregate progress.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = ProcessRequestDocument.NAME)))
    @APIResponse(responseCode = "201", description = "Queued (READY)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields, listed in errors[]")
    @APIResponse(responseCode = "429", description = "Too many tasks created, or your queue is full; see Retry-After")
    public Uni<Response> batch(@NotNull TaskRequest request) {
        request.type = "batch";
        // The items' files are the batch's inputs: checked as the caller's when the batch is created.
        Set<String> files = new LinkedHashSet<>(request.inputFileIds == null ? List.of() : request.inputFileIds);
        JsonNode items = request.params == null ? null : request.params.get("items");
        if (items != null && items.isArray()) {
            for (JsonNode item : items) {
                item.path("input_file_ids").forEach(id -> files.add(id.asText()));
            }
        }
        request.inputFileIds = new ArrayList<>(files);
        if (request.params instanceof ObjectNode params && !params.has("failure_policy")) {
            params.put("failure_policy", "continue");
        }
        return service.create(user.id(), request).map(TaskResource::created);
    }
}
