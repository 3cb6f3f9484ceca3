package dev.suite.workflow.nodes.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.suite.commons.calls.McpGatewayClient;
import dev.suite.commons.calls.ServiceFailures;
import dev.suite.workflow.nodes.ConfigSchema;
import dev.suite.workflow.nodes.Handle;
import dev.suite.workflow.nodes.HandleType;
import dev.suite.workflow.nodes.NodeCall;
import dev.suite.workflow.nodes.NodeFailure;
import dev.suite.workflow.nodes.NodeSpec;
import dev.suite.workflow.nodes.NodeType;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.List;
import java.util.Map;

/**
 * Calls a tool of one of the user's MCP servers through mcp-gateway
 * ({@code POST /api/mcp/servers/{id}/tools/{name}/call}). A result with {@code isError} fails the
 * node (permanently: the tool answered); so does a refusal of the arguments.
 */
@ApplicationScoped
public class McpToolNode implements NodeType {

    private static final String SERVICE = "mcp-gateway";

    private static final NodeSpec SPEC = new NodeSpec("mcp_tool", "integration", "Calls an MCP tool through mcp-gateway",
            List.of(Handle.in("arguments", HandleType.OBJECT, false, "The tool's arguments (over config.arguments)")),
            List.of(Handle.out("result", HandleType.OBJECT, "The CallToolResult"),
                    Handle.out("text", HandleType.STRING, "The result's text content, joined"),
                    Handle.out("structured", HandleType.ANY, "The result's structuredContent, if any")),
            ConfigSchema.create().string("server_id", true, "An mcp-gateway server id of the user")
                    .string("tool", true, "The tool's name")
                    .object("arguments", false, "Fixed arguments"));

    private final McpGatewayClient gateway;
    private final ObjectMapper mapper;

    public McpToolNode(@RestClient McpGatewayClient gateway, ObjectMapper mapper) {
        this.gateway = gateway;
        this.mapper = mapper;
    }

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    /** Not reused unless a node asks: a tool may act, or answer differently. */
    @Override
    public Caching caching() {
        return Caching.ON_REQUEST;
    }

    @Override
    public Uni<Map<String, JsonNode>> run(NodeCall call) {
        ObjectNode arguments = call.config().path("arguments").isObject()
                ? ((ObjectNode) call.config().get("arguments")).deepCopy() : mapper.createObjectNode();
        if (call.input("arguments").isObject()) {
            arguments.setAll((ObjectNode) call.input("arguments"));
        }
        return gateway.callTool(call.config().get("server_id").asText(), call.config().get("tool").asText(),
                        call.caller().authorization(), call.caller().requestId(), arguments)
                .onFailure().transform(e -> UpstreamFailures.of(SERVICE, e))
                .map(this::outputs);
    }

    private Map<String, JsonNode> outputs(Response response) {
        String body = response.hasEntity() ? response.readEntity(String.class) : "";
        if (response.getStatus() != 200) {
            throw UpstreamFailures.of(SERVICE, ServiceFailures.answer(SERVICE, response.getStatus(), body));
        }
        try {
            return resultOutputs(mapper.readTree(body));
        } catch (NodeFailure e) {
            throw e;
        } catch (Exception e) {
            throw NodeFailure.transientFailure(SERVICE + " answered something that is not JSON");
        }
    }

    private static Map<String, JsonNode> resultOutputs(JsonNode result) {
        StringBuilder text = new StringBuilder();
        result.path("content").forEach(item -> {
            if ("text".equals(item.path("type").asText())) {
                text.append(text.isEmpty() ? "" : "\n").append(item.path("text").asText());
            }
        });
        if (result.path("isError").asBoolean(false)) {
            throw NodeFailure.permanent("the tool reported an error: " + text);
        }
        return Map.of("result", result, "text", TextNode.valueOf(text.toString()),
                "structured", result.has("structuredContent") ? result.get("structuredContent") : NullNode.getInstance());
    }
}
