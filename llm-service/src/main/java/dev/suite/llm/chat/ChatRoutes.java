package dev.suite.llm.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.llm.chat.providers.OpenAiShapes;
import dev.suite.llm.config.LlmConfig;
import dev.suite.llm.config.LlmConfigRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Set;

/**
 * The OpenAI-compatible routes. They are plain Vert.x routes rather than JAX-RS resources because
 * a gateway must choose its status only when the provider answers, flush each stream frame as it
 * comes, and notice a client that goes away.
 */
@ApplicationScoped
public class ChatRoutes {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");

    private final ChatGateway gateway;
    private final ChatOperation chat;
    private final LlmConfigRepository configs;
    private final long maxBody;

    public ChatRoutes(ChatGateway gateway, ChatOperation chat, LlmConfigRepository configs,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.gateway = gateway;
        this.chat = chat;
        this.configs = configs;
        this.maxBody = maxBody.asLongValue();
    }

    void register(@Observes Router router) {
        router.post("/v1/chat/completions")
                .handler(BodyHandler.create(false).setBodyLimit(maxBody))
                .handler(this::chat);
        router.get("/v1/models").handler(this::models);
    }

    private void chat(RoutingContext rc) {
        long start = System.nanoTime();
        ObjectNode request;
        try {
            request = validated(rc.body().buffer() == null ? null : rc.body().buffer().getBytes());
        } catch (ChatException e) {
            OpenAiErrors.write(rc.response(), e);
            return;
        }
        gateway.handle(GatewayRequests.caller(rc), request, rc.request().getHeader("X-Suite-Config-Id"), rc.response(),
                start, OpenAiReplyShape.INSTANCE, chat);
    }

    /** The caller's enabled configs as OpenAI models; a config's name is what a client puts in {@code model}. */
    private void models(RoutingContext rc) {
        Panache.withSession(() -> configs.enabled(GatewayRequests.caller(rc))).subscribe().with(list -> {
            ObjectNode body = OpenAiShapes.object().put("object", "list");
            ArrayNode data = body.putArray("data");
            for (LlmConfig config : list) {
                data.addObject()
                        .put("id", config.name)
                        .put("object", "model")
                        .put("created", config.createdAt.getEpochSecond())
                        .put("owned_by", config.provider)
                        .put("config_id", config.id)
                        .put("model", config.model);
            }
            rc.response().putHeader("Content-Type", "application/json").end(body.toString());
        }, e -> OpenAiErrors.write(rc.response(), new ChatException(503, "server_error", null,
                "Configs are unavailable right now.", null, true)));
    }

    /** Enough checking to answer malformed requests with 400 here rather than a provider's error later. */
    static ObjectNode validated(byte[] body) {
        ObjectNode request = GatewayRequests.object(body);
        if (request.has("model") && !request.get("model").isTextual()) {
            throw ChatException.invalidRequest("'model' must be a string.");
        }
        JsonNode messages = request.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw ChatException.invalidRequest("'messages' must be a non-empty array.");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            if (!message.isObject() || !ROLES.contains(message.path("role").asText())) {
                throw ChatException.invalidRequest("messages[" + i + "].role must be one of " + ROLES + ".");
            }
        }
        checkType(request, "stream", JsonNode::isBoolean, "a boolean");
        checkType(request, "temperature", JsonNode::isNumber, "a number");
        checkType(request, "top_p", JsonNode::isNumber, "a number");
        checkType(request, "max_tokens", n -> n.canConvertToInt() && n.asInt() > 0, "a positive integer");
        checkType(request, "max_completion_tokens", n -> n.canConvertToInt() && n.asInt() > 0, "a positive integer");
        checkType(request, "n", n -> n.canConvertToInt() && n.asInt() >= 1 && n.asInt() <= 16, "an integer from 1 to 16");
        checkType(request, "tools", JsonNode::isArray, "an array");
        checkType(request, "stop", n -> n.isTextual() || n.isArray(), "a string or an array");
        return request;
    }

    private static void checkType(ObjectNode request, String field, java.util.function.Predicate<JsonNode> ok,
            String what) {
        JsonNode value = request.get(field);
        if (value != null && !value.isNull() && !ok.test(value)) {
            throw ChatException.invalidRequest("'" + field + "' must be " + what + ".");
        }
    }
}
