package dev.suite.workflow.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.commons.calls.Callers;
import dev.suite.commons.identity.CurrentUser;
import dev.suite.commons.paging.Page;
import dev.suite.commons.paging.PageRequest;
import dev.suite.commons.patch.ETagged;
import dev.suite.commons.patch.MergePatch;
import dev.suite.commons.problem.Problem;
import dev.suite.commons.problem.ProblemException;
import dev.suite.workflow.executions.ExecutionResource;
import dev.suite.workflow.executions.ExecutionService;
import dev.suite.workflow.executions.dto.ExecutionAccepted;
import dev.suite.workflow.executions.dto.ExecutionRequest;
import dev.suite.workflow.workflows.dto.VersionResponse;
import dev.suite.workflow.workflows.dto.WorkflowRequest;
import dev.suite.workflow.workflows.dto.WorkflowResponse;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.List;

@Path("/api/workflows")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Workflows", description = "The caller's node-graph workflows and their versions.")
@APIResponse(responseCode = "401", description = "Missing or invalid credentials",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class WorkflowResource {

    private final WorkflowService service;
    private final ExecutionService executions;
    private final CurrentUser user;
    private final Callers callers;

    public WorkflowResource(WorkflowService service, ExecutionService executions, CurrentUser user, Callers callers) {
        this.service = service;
        this.executions = executions;
        this.user = user;
        this.callers = callers;
    }

    @GET
    @Operation(summary = "List workflows, newest first", description = "Without their graphs; keyset-paged.")
    @APIResponse(responseCode = "200", description = "A page of workflows; next_before names the next")
    public Uni<Page<WorkflowResponse>> list(@Parameter(description = "1–200, default 50") @QueryParam("limit") String limit,
            @Parameter(description = "next_before of the previous page") @QueryParam("before") String before) {
        return service.list(user.id(), PageRequest.of(limit, before));
    }

    @POST
    @ETagged
    @Operation(summary = "Create a workflow", description = "The graph is checked against the node catalog.")
    @APIResponse(responseCode = "201", description = "Created at version 1; Location names it, ETag its state",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkflowResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields or graph, each problem in errors[] (per node or edge)")
    public Uni<Response> create(@NotNull @Valid WorkflowRequest request) {
        return service.create(user.id(), request).map(created -> Response
                .created(URI.create("/api/workflows/" + created.workflowId())).entity(created).build());
    }

    @GET
    @Path("/{id}")
    @ETagged
    @Operation(summary = "Get a workflow", description = "The latest version, or ?version=N. "
            + "If-None-Match naming its ETag answers 304.")
    @APIResponse(responseCode = "200", description = "The workflow; ETag names its state")
    @APIResponse(responseCode = "304", description = "If-None-Match names its current ETag")
    @APIResponse(responseCode = "404", description = "No such workflow (or version) of yours")
    public Uni<WorkflowResponse> get(@PathParam("id") String id, @QueryParam("version") String version) {
        return service.get(user.id(), id, version(version));
    }

    @GET
    @Path("/{id}/versions")
    @Operation(summary = "List a workflow's versions, newest first")
    @APIResponse(responseCode = "200", description = "Its versions")
    public Uni<List<VersionResponse>> versions(@PathParam("id") String id) {
        return service.versions(user.id(), id);
    }

    @PUT
    @Path("/{id}")
    @ETagged
    @Operation(summary = "Save a new version", description = "The whole workflow. Fields the server owns "
            + "(workflow_id, version, latest_version, timestamps) are ignored, so a GET's body can be sent back. "
            + "If-Match (an ETag) or expected_version guard against overwriting an edit made meanwhile.")
    @APIResponse(responseCode = "200", description = "The new version; ETag names its state")
    @APIResponse(responseCode = "400", description = "Invalid fields or graph, each problem in errors[] (per node or edge)")
    @APIResponse(responseCode = "404", description = "No such workflow of yours")
    @APIResponse(responseCode = "409", description = "expected_version is not the latest")
    @APIResponse(responseCode = "412", description = "If-Match names an older state of the workflow")
    public Uni<WorkflowResponse> update(@PathParam("id") String id,
            @Parameter(description = "The ETag of the workflow as you read it") @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @NotNull WorkflowRequest request) {
        return service.update(user.id(), id, request, ifMatch);
    }

    @PATCH
    @Path("/{id}")
    @ETagged
    @Consumes({MergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "Change some fields of a workflow, as a new version",
            description = "JSON Merge Patch (RFC 7396) of the latest version as GET shows it: members replace, null "
                    + "removes, objects merge member by member; arrays (nodes, edges, interface_inputs, "
                    + "interface_outputs) are replaced whole. The result is validated and saved as a PUT.")
    @RequestBody(content = {
            @Content(mediaType = MergePatch.MEDIA_TYPE, schema = @Schema(implementation = WorkflowRequest.class)),
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkflowRequest.class))})
    @APIResponse(responseCode = "200", description = "The new version; ETag names its state")
    @APIResponse(responseCode = "400", description = "The patched workflow has invalid fields or graph, listed in errors[]")
    @APIResponse(responseCode = "404", description = "No such workflow of yours")
    @APIResponse(responseCode = "409", description = "expected_version is not the latest")
    @APIResponse(responseCode = "412", description = "If-Match names an older state of the workflow")
    public Uni<WorkflowResponse> patch(@PathParam("id") String id,
            @Parameter(description = "The ETag of the workflow as you read it") @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @NotNull JsonNode patch) {
        return service.patch(user.id(), id, patch, ifMatch);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a workflow and its versions", description = "Executions keep the graph they ran.")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Uni<Response> delete(@PathParam("id") String id) {
        return service.delete(user.id(), id).map(ignored -> Response.noContent().build());
    }

    @POST
    @Path("/{id}/run")
    @Operation(summary = "Run a workflow", description = "Body: {inputs, priority, version}. The graph is checked "
            + "again (the node catalog may have changed) and queued.")
    @APIResponse(responseCode = "202", description = "Queued: {execution_id, status: queued, position}; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ExecutionAccepted.class)))
    public Uni<Response> run(@PathParam("id") String id, @RequestBody(required = false) @Valid ExecutionRequest request) {
        ExecutionRequest run = request == null ? new ExecutionRequest() : request;
        if (run.hasInlineGraph() || (run.workflowId != null && !run.workflowId.equals(id))) {
            throw ProblemException.invalidField("nodes", "the path names the workflow: send only inputs, priority and version");
        }
        run.workflowId = id;
        return executions.submit(callers.current(), run).map(ExecutionResource::accepted);
    }

    private static Integer version(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            int version = Integer.parseInt(text.trim());
            if (version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.invalidField("version", "must be a version number (1 or more)");
    }
}
