package dev.suite.llm.embeddings;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.llm.chat.OpenAiReplyShape;
import dev.suite.llm.chat.ChatException;
import dev.suite.llm.chat.GatewayRequests;
import dev.suite.llm.chat.ChatGateway;
import dev.suite.llm.chat.OpenAiErrors;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code POST /v1/embeddings}, OpenAI's shape over the providers that have embeddings. It runs
 * through the chat gateway (config choice, retries, fallbacks, timeouts, usage) with the
 * embeddings operation; the answer is OpenAI's list whatever the provider.
 */
@ApplicationScoped
public class EmbeddingsRoutes {

    private final ChatGateway gateway;
    private final EmbeddingsOperation embeddings;
    private final long maxBody;

    public EmbeddingsRoutes(ChatGateway gateway, EmbeddingsOperation embeddings,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.gateway = gateway;
        this.embeddings = embeddings;
        this.maxBody = maxBody.asLongValue();
    }

    void register(@Observes Router router) {
        router.post("/v1/embeddings")
                .handler(BodyHandler.create(false).setBodyLimit(maxBody))
                .handler(this::embed);
    }

    private void embed(RoutingContext rc) {
        long start = System.nanoTime();
        ObjectNode request;
        try {
            request = EmbeddingsRequests.validated(rc.body().buffer() == null ? null : rc.body().buffer().getBytes());
        } catch (ChatException e) {
            OpenAiErrors.write(rc.response(), e);
            return;
        }
        String user = GatewayRequests.caller(rc);
        gateway.handle(user, request, rc.request().getHeader("X-Suite-Config-Id"), rc.response(), start,
                OpenAiReplyShape.INSTANCE, embeddings);
    }
}
