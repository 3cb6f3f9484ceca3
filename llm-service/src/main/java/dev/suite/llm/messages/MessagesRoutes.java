package dev.suite.llm.messages;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.llm.chat.ChatException;
import dev.suite.llm.chat.GatewayRequests;
import dev.suite.llm.chat.ChatGateway;
import dev.suite.llm.chat.ChatOperation;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.regex.Pattern;

/**
 * Anthropic's Messages API, {@code POST /v1/messages}, over every configured provider: Anthropic
 * SDKs and the agents built on them use any of the caller's configs by its name as the model. The
 * request becomes a Chat Completions call through the same gateway (retries, fallbacks, timeouts,
 * usage); the answer takes Anthropic's shape.
 */
@ApplicationScoped
public class MessagesRoutes {

    /** Versions are dates; any is accepted, as the shapes this route speaks have not changed across them. */
    private static final Pattern VERSION = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private final ChatGateway gateway;
    private final ChatOperation chat;
    private final long maxBody;

    public MessagesRoutes(ChatGateway gateway, ChatOperation chat,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.gateway = gateway;
        this.chat = chat;
        this.maxBody = maxBody.asLongValue();
    }

    void register(@Observes Router router) {
        router.post("/v1/messages")
                .handler(BodyHandler.create(false).setBodyLimit(maxBody))
                .handler(this::messages);
    }

    private void messages(RoutingContext rc) {
        long start = System.nanoTime();
        ObjectNode request;
        String version = rc.request().getHeader("anthropic-version");
        try {
            if (version != null && !VERSION.matcher(version).matches()) {
                throw MessagesRequests.invalid("anthropic-version: must be a date such as 2023-06-01");
            }
            request = MessagesRequests.toChat(rc.body().buffer() == null ? null : rc.body().buffer().getBytes());
        } catch (ChatException e) {
            new MessagesShape(null).error(rc.response(), e);
            return;
        }
        String user = GatewayRequests.caller(rc);
        gateway.handle(user, request, rc.request().getHeader("X-Suite-Config-Id"), rc.response(), start,
                new MessagesShape(request.path("model").asText()), chat);
    }
}
