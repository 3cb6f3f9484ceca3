package dev.suite.llm.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.problem.Unavailability;
import dev.suite.llm.chat.ChatException;
import dev.suite.llm.chat.GatewayRequests;
import dev.suite.llm.chat.ChatGateway;
import dev.suite.llm.chat.ChatOperation;
import dev.suite.llm.chat.OpenAiErrors;
import dev.suite.llm.chat.providers.OpenAiShapes;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * OpenAI's Responses API over every configured provider: {@code POST /v1/responses} (plain or
 * streamed), and {@code GET}/{@code DELETE /v1/responses/{id}} for stored responses. A request
 * becomes a Chat Completions call through the same gateway (retries, fallbacks, timeouts, usage);
 * {@code previous_response_id} continues from one of the caller's stored responses, whose
 * conversation goes before the new input.
 */
@ApplicationScoped
public class ResponsesRoutes {

    private final ChatGateway gateway;
    private final ChatOperation chat;
    private final ResponseStore store;
    private final long maxBody;

    public ResponsesRoutes(ChatGateway gateway, ChatOperation chat, ResponseStore store,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.gateway = gateway;
        this.chat = chat;
        this.store = store;
        this.maxBody = maxBody.asLongValue();
    }

    void register(@Observes Router router) {
        router.post("/v1/responses")
                .handler(BodyHandler.create(false).setBodyLimit(maxBody))
                .handler(this::create);
        router.get("/v1/responses/:id").handler(this::read);
        router.delete("/v1/responses/:id").handler(this::delete);
    }

    private void create(RoutingContext rc) {
        long start = System.nanoTime();
        String owner = GatewayRequests.caller(rc);
        ResponsesRequests.Parsed parsed;
        try {
            parsed = ResponsesRequests.parse(rc.body().buffer() == null ? null : rc.body().buffer().getBytes());
        } catch (ChatException e) {
            OpenAiErrors.write(rc.response(), e);
            return;
        }
        if (parsed.previousResponseId() == null) {
            // A new conversation goes on at once, without a round through Mutiny.
            answer(rc, owner, parsed, OpenAiShapes.array(), start);
            return;
        }
        earlierTurns(owner, parsed.previousResponseId()).subscribe().with(
                earlier -> answer(rc, owner, parsed, earlier, start),
                e -> OpenAiErrors.write(rc.response(), failure(e)));
    }

    /** Runs the call as a Chat Completions call, after the {@code earlier} turns it continues (none for a new conversation). */
    private void answer(RoutingContext rc, String owner, ResponsesRequests.Parsed parsed, ArrayNode earlier, long start) {
        ObjectNode request;
        try {
            request = ResponsesRequests.chatRequest(parsed, earlier);
        } catch (ChatException e) {
            OpenAiErrors.write(rc.response(), e);
            return;
        }
        ArrayNode conversation = earlier.deepCopy();
        conversation.addAll(parsed.input());
        // Only a stored conversation has a size limit, and measuring it means serializing it.
        int size = parsed.store() ? conversation.toString().length() : 0;
        if (size > store.maxStoredBytes()) {
            OpenAiErrors.write(rc.response(), ChatException.invalidRequest("The conversation is " + size
                    + " bytes, over the " + store.maxStoredBytes() + " a stored response keeps: send store: false, "
                    + "or start a new conversation."));
            return;
        }
        gateway.handle(owner, request, rc.request().getHeader("X-Suite-Config-Id"), rc.response(), start,
                new ResponsesShape(owner, parsed, conversation, store), chat);
    }

    /** The conversation of the stored response continued from. */
    private Uni<ArrayNode> earlierTurns(String owner, String previousId) {
        return store.find(owner, previousId).map(found -> {
            ResponseStore.Stored stored = found.orElseThrow(() -> notFound(previousId));
            return (ArrayNode) OpenAiShapes.parse(stored.conversation());
        });
    }

    private void read(RoutingContext rc) {
        String id = rc.pathParam("id");
        store.find(GatewayRequests.caller(rc), id).subscribe().with(found -> found.ifPresentOrElse(
                stored -> rc.response().putHeader("Content-Type", "application/json").end(stored.response()),
                () -> OpenAiErrors.write(rc.response(), notFound(id))), e -> OpenAiErrors.write(rc.response(), failure(e)));
    }

    private void delete(RoutingContext rc) {
        String id = rc.pathParam("id");
        store.delete(GatewayRequests.caller(rc), id).subscribe().with(deleted -> {
            if (!deleted) {
                OpenAiErrors.write(rc.response(), notFound(id));
                return;
            }
            ObjectNode body = OpenAiShapes.object().put("id", id).put("object", "response").put("deleted", true);
            rc.response().putHeader("Content-Type", "application/json").end(body.toString());
        }, e -> OpenAiErrors.write(rc.response(), failure(e)));
    }

    private static ChatException notFound(String id) {
        return new ChatException(404, "invalid_request_error", "response_not_found",
                "Response with id '" + id + "' not found.", null, false);
    }

    private static ChatException failure(Throwable e) {
        if (e instanceof ChatException chat) {
            return chat;
        }
        if (Unavailability.isDependencyUnavailable(e)) {
            return new ChatException(503, "server_error", "service_unavailable",
                    "Stored responses cannot be read right now (database unavailable); try again shortly.",
                    Duration.ofSeconds(5), true);
        }
        return new ChatException(500, "server_error", null, "The gateway failed; quote the request id.", null, false);
    }
}
