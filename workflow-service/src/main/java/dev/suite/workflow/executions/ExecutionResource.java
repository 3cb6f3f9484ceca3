package dev.suite.workflow.executions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.commons.calls.Callers;
import dev.suite.commons.identity.CurrentUser;
import dev.suite.commons.identity.SocketTicket;
import dev.suite.commons.identity.SocketTickets;
import dev.suite.commons.paging.Page;
import dev.suite.commons.paging.PageRequest;
import dev.suite.commons.problem.FieldError;
import dev.suite.commons.problem.Problem;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.Violations;
import dev.suite.workflow.approvals.Approvals;
import dev.suite.workflow.approvals.dto.DecisionRequest;
import dev.suite.workflow.executions.dto.ExecutionAccepted;
import dev.suite.workflow.executions.dto.ExecutionBatch;
import dev.suite.workflow.executions.dto.ExecutionBatchAccepted;
import dev.suite.workflow.executions.dto.ExecutionRequest;
import dev.suite.workflow.executions.dto.ExecutionResponse;
import dev.suite.workflow.executions.dto.RerunRequest;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
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

@Path("/api/executions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Executions", description = "Runs of workflows and inline graphs: queued, running and finished.")
@APIResponse(responseCode = "401", description = "Missing or invalid credentials",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class ExecutionResource {

    private final ExecutionService service;
    private final CurrentUser user;
    private final Callers callers;
    private final SocketTickets tickets;
    private final Approvals approvals;
    private final Validator validator;

    public ExecutionResource(ExecutionService service, CurrentUser user, Callers callers, SocketTickets tickets,
            Approvals approvals, Validator validator) {
        this.approvals = approvals;
        this.validator = validator;
        this.service = service;
        this.user = user;
        this.callers = callers;
        this.tickets = tickets;
    }

    @POST
    @Operation(summary = "Run a graph", description = "An inline graph (or a workflow_id) with its inputs; queued by "
            + "priority, FIFO within one. Follow it on /ws/workflows or poll GET /api/executions/{id}.")
    @APIResponse(responseCode = "202", description = "Queued: {execution_id, status: queued, position}; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ExecutionAccepted.class)))
    @APIResponse(responseCode = "400", description = "Invalid graph or inputs, each problem in errors[]")
    @APIResponse(responseCode = "429", description = "Too many submissions or unfinished executions")
    public Uni<Response> submit(@NotNull @Valid ExecutionRequest request) {
        return service.submit(callers.current(), request).map(ExecutionResource::accepted);
    }

    @POST
    @Path("/batch")
    @Operation(summary = "Run many graphs", description = "Up to suite.workflow.max-executions-per-request (1000) "
            + "executions in one request, each as POST /api/executions takes it: all valid or none queued.")
    @APIResponse(responseCode = "202", description = "Queued, in request order: {items: [{execution_id, status, position}]}",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ExecutionBatchAccepted.class)))
    @APIResponse(responseCode = "400", description = "Invalid executions, each problem in errors[] named executions[i].field; "
            + "nothing queued")
    @APIResponse(responseCode = "429", description = "Too many submissions or unfinished executions")
    public Uni<Response> submitAll(@NotNull ExecutionBatch batch) {
        return service.submitAll(callers.current(), batch.executions)
                .map(items -> Response.accepted(new ExecutionBatchAccepted(items)).build());
    }

    public static Response accepted(ExecutionAccepted accepted) {
        return Response.accepted(accepted).location(URI.create("/api/executions/" + accepted.executionId())).build();
    }

    @GET
    @Operation(summary = "List executions, newest first", description = "Keyset-paged: pass next_before as before.")
    @APIResponse(responseCode = "200", description = "A page of executions, without their nodes")
    public Uni<Page<ExecutionResponse>> list(
            @Parameter(description = "queued, running, waiting, completed, failed or interrupted") @QueryParam("status") String status,
            @Parameter(description = "1–200, default 50") @QueryParam("limit") String limit,
            @Parameter(description = "next_before of the previous page") @QueryParam("before") String before) {
        return service.list(user.id(), status, PageRequest.of(limit, before));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get an execution", description = "Status, per-node states, outputs, timings and errors.")
    @APIResponse(responseCode = "200", description = "The execution")
    @APIResponse(responseCode = "404", description = "No such execution of yours")
    public Uni<ExecutionResponse> get(@PathParam("id") String id) {
        return service.get(user.id(), id);
    }

    @GET
    @Path("/{id}/nodes/{nodeId}/outputs")
    @Operation(summary = "A node's whole outputs", description = "For outputs too large to show inline (outputs_ref).")
    @APIResponse(responseCode = "200", description = "The node's outputs, by output name")
    @APIResponse(responseCode = "404", description = "No such execution of yours, or the node has no outputs")
    public Uni<JsonNode> nodeOutputs(@PathParam("id") String id, @PathParam("nodeId") String nodeId) {
        return service.nodeOutputs(user.id(), id, nodeId);
    }

    @POST
    @Path("/{id}/nodes/{nodeId}/approve")
    @Operation(summary = "Approve a node waiting for a person", description = "Its value (or data, edited) goes on along "
            + "approved; the execution continues once no node of it waits, on whichever replica takes it.")
    @APIResponse(responseCode = "200", description = "The execution (queued again, or still waiting for another node)")
    @APIResponse(responseCode = "404", description = "No such execution of yours")
    @APIResponse(responseCode = "409", description = "The node is not waiting for a decision")
    public Uni<ExecutionResponse> approve(@PathParam("id") String id, @PathParam("nodeId") String nodeId,
            @RequestBody(required = false) DecisionRequest decision) {
        return decide(id, nodeId, true, decision);
    }

    @POST
    @Path("/{id}/nodes/{nodeId}/reject")
    @Operation(summary = "Reject a node waiting for a person", description = "Its value (or data) goes on along rejected.")
    @APIResponse(responseCode = "200", description = "The execution (queued again, or still waiting for another node)")
    @APIResponse(responseCode = "404", description = "No such execution of yours")
    @APIResponse(responseCode = "409", description = "The node is not waiting for a decision")
    public Uni<ExecutionResponse> reject(@PathParam("id") String id, @PathParam("nodeId") String nodeId,
            @RequestBody(required = false) DecisionRequest decision) {
        return decide(id, nodeId, false, decision);
    }

    private Uni<ExecutionResponse> decide(String id, String nodeId, boolean approve, DecisionRequest decision) {
        if (decision != null) {
            List<FieldError> errors = Violations.fieldErrors(validator.validate(decision));
            if (!errors.isEmpty()) {
                return Uni.createFrom().failure(ProblemException.validation(errors));
            }
        }
        return approvals.decide(user.id(), id, nodeId, approve, decision).chain(() -> service.get(user.id(), id));
    }

    @POST
    @Path("/{id}/rerun")
    @Operation(summary = "Re-run a finished execution from a node", description = "A new execution of the graph that "
            + "ran (the workflow version that ran) with the same inputs: the node and its descendants run again, the "
            + "other finished nodes keep their outputs.")
    @APIResponse(responseCode = "202", description = "Queued: the new execution; Location names it, and it shows rerun_of",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ExecutionAccepted.class)))
    @APIResponse(responseCode = "400", description = "from_node is missing or not a node of that graph")
    @APIResponse(responseCode = "404", description = "No such execution of yours")
    @APIResponse(responseCode = "409", description = "The execution has not finished")
    public Uni<Response> rerun(@PathParam("id") String id, @NotNull RerunRequest request) {
        return service.rerun(callers.current(), id, request).map(ExecutionResource::accepted);
    }

    @POST
    @Path("/{id}/interrupt")
    @Operation(summary = "Interrupt an execution", description = "A queued one ends at once; a running one is "
            + "stopped by the replica running it, wherever that is.")
    @APIResponse(responseCode = "200", description = "Interrupted (it was queued or waiting): the execution",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ExecutionResponse.class)))
    @APIResponse(responseCode = "202", description = "Running: it is being stopped and ends as interrupted; the execution as it is now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ExecutionResponse.class)))
    @APIResponse(responseCode = "409", description = "Already ended")
    public Uni<Response> interrupt(@PathParam("id") String id) {
        return service.interrupt(user.id(), id).map(result -> Response.status(result.pending() ? 202 : 200)
                .entity(result.execution()).build());
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete an execution's history", description = "Only finished executions; interrupt first.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "409", description = "Still queued or running")
    public Uni<Response> delete(@PathParam("id") String id) {
        return service.delete(user.id(), id).map(ignored -> Response.noContent().build());
    }

    @POST
    @Path("/socket-ticket")
    @Operation(summary = "A ticket for /ws/workflows", description = "Browsers cannot send headers with a WebSocket "
            + "upgrade: open /ws/workflows?ticket=… within a minute. Single use.")
    @APIResponse(responseCode = "200", description = "The ticket, and how many seconds it stays valid")
    public Uni<SocketTicket> socketTicket() {
        return tickets.issue(user.id()).map(SocketTicket::of);
    }
}
