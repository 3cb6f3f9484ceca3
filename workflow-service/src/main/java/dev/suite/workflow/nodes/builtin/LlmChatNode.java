package dev.suite.workflow.nodes.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.suite.commons.calls.ChatStreamClient;
import dev.suite.commons.calls.ServiceTarget;
import dev.suite.commons.net.OutboundConfig;
import dev.suite.workflow.nodes.ConfigSchema;
import dev.suite.workflow.nodes.Handle;
import dev.suite.workflow.nodes.HandleType;
import dev.suite.workflow.nodes.NodeCall;
import dev.suite.workflow.nodes.NodeSpec;
import dev.suite.workflow.nodes.NodeType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.Config;

import java.util.List;
import java.util.Map;

/**
 * A chat completion through llm-service ({@code POST /v1/chat/completions}, streaming, for the
 * execution's user): each token goes out on {@code stream} as it arrives — to the nodes reading it
 * and to the execution's clients as {@code NODE_YIELD} — and {@code text} is the whole answer.
 * When readers fall behind, the response is paused, so llm-service (and the provider) slow down
 * instead of tokens piling up here.
 */
@ApplicationScoped
public class LlmChatNode implements NodeType {

    private static final String SERVICE = "llm-service";

    private static final NodeSpec SPEC = new NodeSpec("llm_chat", "ai", "A chat completion through llm-service, streamed",
            List.of(Handle.in("prompt", HandleType.STRING, true, "The user message"),
                    Handle.in("messages", HandleType.ARRAY, false, "Earlier turns: [{role, content}]"),
                    Handle.in("system", HandleType.STRING, false, "Overrides config.system_prompt")),
            List.of(Handle.out("text", HandleType.STRING, "The whole answer"),
                    Handle.out("stream", HandleType.STREAM, "The answer's pieces as they arrive"),
                    Handle.out("usage", HandleType.OBJECT, "prompt_tokens, completion_tokens")),
            ConfigSchema.create().string("model", true, "An llm-service config id (or name) of the user")
                    .string("system_prompt", false, null)
                    .number("temperature", false, null)
                    .integer("max_tokens", false, 1, 1_000_000, null));

    private final ChatStreamClient client;
    private final ObjectMapper mapper;

    public LlmChatNode(Vertx vertx, ObjectMapper mapper, OutboundConfig outbound, Config config) {
        this.client = new ChatStreamClient(vertx, ServiceTarget.fromConfig(config, SERVICE),
                (int) Math.min(Integer.MAX_VALUE, outbound.maxLine().asLongValue()));
        this.mapper = mapper;
    }

    @PreDestroy
    void close() {
        client.close();
    }

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    /** Not reused unless a node asks: a model answers differently each time. */
    @Override
    public Caching caching() {
        return Caching.ON_REQUEST;
    }

    /** Each piece goes to {@code stream} as it comes; the client waits for it to be taken before reading on. */
    @Override
    public Uni<Map<String, JsonNode>> run(NodeCall call) {
        return client.stream(call.caller(), request(call), piece -> call.emit("stream", TextNode.valueOf(piece)))
                .onFailure().transform(e -> UpstreamFailures.of(SERVICE, e))
                .map(answer -> Map.of("text", TextNode.valueOf(answer.text()), "usage",
                        answer.usage() != null ? answer.usage() : JsonNodeFactory.instance.objectNode()));
    }

    private ObjectNode request(NodeCall call) {
        ObjectNode body = mapper.createObjectNode().put("model", call.config().get("model").asText());
        body.putObject("stream_options").put("include_usage", true);
        if (call.config().has("temperature")) {
            body.set("temperature", call.config().get("temperature"));
        }
        if (call.config().has("max_tokens")) {
            body.set("max_tokens", call.config().get("max_tokens"));
        }
        ArrayNode messages = body.putArray("messages");
        String system = call.hasInput("system") ? call.input("system").asText()
                : call.config().path("system_prompt").asText(null);
        if (system != null && !system.isBlank()) {
            messages.addObject().put("role", "system").put("content", system);
        }
        call.input("messages").forEach(messages::add);
        messages.addObject().put("role", "user").put("content", call.input("prompt").asText());
        return body;
    }
}
