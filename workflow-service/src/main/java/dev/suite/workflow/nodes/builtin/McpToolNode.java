package dev.suite.workflow.nodes.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.suite.commons.calls.SuiteHttp;
import dev.suite.workflow.nodes.ConfigSchema;
import dev.suite.workflow.nodes.Handle;
import dev.suite.workflow.nodes.HandleType;
import dev.suite.workflow.nodes.NodeCall;
import dev.suite.workflow.nodes.NodeFailure;
import dev.suite.workflow.nodes.NodeSpec;
import dev.suite.workflow.nodes.NodeType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Calls a tool of one of the user's MCP servers through mcp-gateway
 * ({@code POST /api/mcp/servers/{id}/tools/{name}/call}). A result with {@code isError} fails the
 * node (permanently: the tool answered); so does a refusal of the arguments.
 */
@ApplicationScoped
public class McpToolNode implements NodeType {

    private static final NodeSpec SPEC = new NodeSpec("mcp_tool", "integration", "Calls an MCP tool through mcp-gateway",
            List.of(Handle.in("arguments", HandleType.OBJECT, false, "The tool's arguments (over config.arguments)")),
            List.of(Handle.out("result", HandleType.OBJECT, "The CallToolResult"),
                    Handle.out("text", HandleType.STRING, "The result's text content, joined"),
                    Handle.out("structured", HandleType.ANY, "The result's structuredContent, if any")),
            ConfigSchema.create().string("server_id", true, "An mcp-gateway server id of the user")
                    .string("tool", true, "The tool's name")
                    .object("arguments", false, "Fixed arguments"));

    private final SuiteHttp http;
    private final ObjectMapper mapper;

    public McpToolNode(Vertx vertx, ObjectMapper mapper, @ConfigProperty(name = "suite.mcp.url") URI base) {
        this.http = new SuiteHttp(vertx, base);
        this.mapper = mapper;
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
        ObjectNode arguments = call.config().path("arguments").isObject()
                ? ((ObjectNode) call.config().get("arguments")).deepCopy() : mapper.createObjectNode();
        if (call.input("arguments").isObject()) {
            arguments.setAll((ObjectNode) call.input("arguments"));
        }
        String path = "/api/mcp/servers/" + encode(call.config().get("server_id").asText()) + "/tools/"
                + encode(call.config().get("tool").asText()) + "/call";
        return Uni.createFrom().emitter(emitter -> http.post(path, call.caller(), "application/json", Duration.ofMinutes(5))
                .onFailure(e -> emitter.fail(UpstreamFailures.of("mcp-gateway", e)))
                .onSuccess(request -> {
                    call.cancellation().onCancel(() -> request.reset());
                    request.send(Buffer.buffer(arguments.toString()))
                            .compose(response -> response.body().map(body -> {
                                if (response.statusCode() != 200) {
                                    throw UpstreamFailures.status("mcp-gateway", response.statusCode(), body.toString());
                                }
                                return body;
                            }))
                            .onFailure(e -> emitter.fail(UpstreamFailures.of("mcp-gateway", e)))
                            .onSuccess(body -> {
                                try {
                                    emitter.complete(resultOutputs(mapper.readTree(body.getBytes())));
                                } catch (Exception e) {
                                    emitter.fail(e instanceof NodeFailure ? e
                                            : NodeFailure.transientFailure("mcp-gateway answered something that is not JSON"));
                                }
                            });
                }));
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

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
