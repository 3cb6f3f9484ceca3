package dev.suite.mcp.tools;

import dev.suite.commons.identity.CurrentUser;
import dev.suite.commons.problem.Problem;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** The REST face of a server's tools, used by the session and workflow services. Tools keep MCP's spelling. */
@Path("/api/mcp/servers/{id}/tools")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "MCP tools", description = "A registered server's tools: list and call without speaking MCP.")
@APIResponse(responseCode = "404", description = "No such server (or tool) of yours",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "409", description = "The server is disabled")
@APIResponse(responseCode = "502", description = "The MCP server failed or is unreachable")
@APIResponse(responseCode = "504", description = "The MCP server did not answer in time")
public class ToolsResource {

    /** The answer of the list route, as the document tells it; the tools keep MCP's spelling. */
    @Schema(name = "McpServerTools")
    public record ServerTools(
            @Schema(required = true) String serverId,
            @Schema(required = true, description = "MCP Tool objects (name, title, description, inputSchema, "
                    + "outputSchema, annotations, _meta), as the server gave them") List<JsonObject> tools) {
    }

    private final ToolsService tools;
    private final CurrentUser user;

    public ToolsResource(ToolsService tools, CurrentUser user) {
        this.tools = tools;
        this.user = user;
    }

    @GET
    @Operation(summary = "The server's tools", description = "Cached until the server reports list_changed, "
            + "is edited, or the cache TTL passes; filtered by the server's tools_allow and tools_deny.")
    @APIResponse(responseCode = "200", description = "{server_id, tools: [MCP Tool]}", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ServerTools.class)))
    public Uni<JsonObject> list(@PathParam("id") String id) {
        return tools.list(user.id(), id).map(list -> new JsonObject().put("server_id", id).put("tools", list));
    }

    @POST
    @Path("/{name}/call")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Call a tool", description = "The body is the tool's arguments object; the answer is the "
            + "MCP CallToolResult (content, structuredContent, isError). Progress keeps a long call alive up to the "
            + "server's tool_call_max_seconds.")
    @RequestBody(description = "The tool's arguments, as its inputSchema describes them", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "200", description = "The MCP CallToolResult", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT,
                    description = "MCP's CallToolResult in MCP's spelling: content, structuredContent, isError, _meta")))
    @APIResponse(responseCode = "400", description = "The server refused the arguments")
    public Uni<JsonObject> call(@PathParam("id") String id, @PathParam("name") String name, JsonObject arguments) {
        return tools.call(user.id(), id, name, arguments == null ? new JsonObject() : arguments);
    }
}
