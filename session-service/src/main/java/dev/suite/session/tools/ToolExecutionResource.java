package dev.suite.session.tools;

import dev.suite.commons.problem.Problem;
import dev.suite.commons.calls.Callers;
import dev.suite.session.messages.dto.MessageBatchResponse;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/messages")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Messages")
@APIResponse(responseCode = "404", description = "No such message of yours",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class ToolExecutionResource {

    private final ToolExecutor executor;
    private final Callers callers;

    public ToolExecutionResource(ToolExecutor executor, Callers callers) {
        this.executor = executor;
        this.callers = callers;
    }

    @POST
    @Path("/{id}/execute")
    @Operation(summary = "Run the message's tool calls through mcp-gateway",
            description = "Appends one tool message per call (content: the result's text; mcpdetail: server, tool, "
                    + "arguments, the whole result or error, timing). Runs once: asking again returns the results.")
    @APIResponse(responseCode = "201", description = "{items: [tool message]}: the calls ran now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MessageBatchResponse.class)))
    @APIResponse(responseCode = "200", description = "{items: [tool message]}: they had run before",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MessageBatchResponse.class)))
    @APIResponse(responseCode = "400", description = "A call names no tool or no MCP server")
    @APIResponse(responseCode = "409", description = "Not an assistant message with tool_calls, or running now")
    @APIResponse(responseCode = "502", description = "mcp-gateway failed")
    @APIResponse(responseCode = "503", description = "mcp-gateway is unreachable")
    @APIResponse(responseCode = "504", description = "The MCP server did not answer in time")
    public Uni<Response> execute(@PathParam("id") String id) {
        return executor.execute(callers.current(), id).map(executed -> Response
                .status(executed.ran() ? Response.Status.CREATED : Response.Status.OK)
                .entity(new MessageBatchResponse(executed.results())).build());
    }
}
