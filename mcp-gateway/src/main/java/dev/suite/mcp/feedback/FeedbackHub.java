package dev.suite.mcp.feedback;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.events.CloudEvent;
import dev.suite.commons.events.EventPublisher;
import dev.suite.commons.events.EventSubscriber;
import dev.suite.commons.redis.RedisNames;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.event.Observes;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Feedback news between replicas ({@code suite:mcp:feedback}): a request was opened, answered or
 * timed out. The tool call waiting for an answer may sit on one replica while the person answers
 * through another; the answered event wakes the waiter wherever it is. Pub/sub may lose an event,
 * so waiters also look at the row on every progress tick.
 */
@ApplicationScoped
public class FeedbackHub {

    public static final String SOURCE = "/mcp-gateway";
    public static final String REQUESTED = "mcp.feedback.requested";
    public static final String ANSWERED = "mcp.feedback.answered";
    public static final String TIMED_OUT = "mcp.feedback.timed_out";
    public static final String PROMPT = "mcp.toolbar.prompt";

    private final Map<String, Runnable> waiters = new ConcurrentHashMap<>();
    /** MCP clients listening on the aggregate, by user: toolbar prompts reach them as notifications. */
    private final Map<String, Set<Consumer<JsonObject>>> promptListeners = new ConcurrentHashMap<>();
    private final FeedbackPages pages;
    private final EventPublisher publisher;
    private final EventSubscriber subscriber;
    private final ObjectMapper mapper;
    private final String channel;

    public FeedbackHub(EventPublisher publisher, EventSubscriber subscriber, ObjectMapper mapper, RedisNames names,
            FeedbackPages pages) {
        this.pages = pages;
        this.publisher = publisher;
        this.subscriber = subscriber;
        this.mapper = mapper;
        this.channel = names.channel("mcp", "feedback");
    }

    void listen(@Observes StartupEvent event) {
        subscriber.subscribe(channel, this::onEvent, () -> {
            // Answers may have been missed: every waiter looks at its row again.
            waiters.values().forEach(Runnable::run);
        });
    }

    public String channel() {
        return channel;
    }

    /** Runs {@code onAnswer} when the request may have been answered (an event, or a re-subscription). */
    void await(String feedbackId, Runnable onAnswer) {
        waiters.put(feedbackId, onAnswer);
    }

    void stopWaiting(String feedbackId) {
        waiters.remove(feedbackId);
    }

    /** A toolbar's prompt, with its page context, for every replica. */
    Uni<Void> prompt(String ownerId, JsonObject context) {
        var data = mapper.valueToTree(Map.of("owner_id", ownerId, "prompt", context.getMap()));
        return publisher.publish(channel, CloudEvent.of(SOURCE, PROMPT, ownerId, data));
    }

    /** Hands the user's toolbar prompts to {@code listener} until {@link #stopPrompts}. */
    public Consumer<JsonObject> onPrompt(String ownerId, Consumer<JsonObject> listener) {
        promptListeners.computeIfAbsent(ownerId, id -> ConcurrentHashMap.newKeySet()).add(listener);
        return listener;
    }

    public void stopPrompts(String ownerId, Consumer<JsonObject> listener) {
        Set<Consumer<JsonObject>> listeners = promptListeners.get(ownerId);
        if (listeners != null) {
            listeners.remove(listener);
        }
    }

    Uni<Void> publish(String type, String ownerId, Feedback feedback) {
        var data = mapper.valueToTree(Map.of("owner_id", ownerId, "feedback", feedback));
        return publisher.publish(channel, CloudEvent.of(SOURCE, type, feedback.feedbackId(), data))
                .onFailure().recoverWithNull();
    }

    private void onEvent(CloudEvent event) {
        if (ANSWERED.equals(event.type())) {
            Runnable waiter = waiters.get(event.subject());
            if (waiter != null) {
                waiter.run();
            }
        }
        String ownerId = event.data() == null ? null : event.data().path("owner_id").asText(null);
        if (ownerId != null && PROMPT.equals(event.type()) && event.data().has("prompt")) {
            JsonObject prompt = new JsonObject(event.data().get("prompt").toString());
            pages.send(ownerId, new JsonObject().put("type", "prompt").put("prompt", prompt));
            promptListeners.getOrDefault(ownerId, Set.of()).forEach(listener -> listener.accept(prompt));
            return;
        }
        if (ownerId != null && event.data().has("feedback")) {
            JsonObject feedback = new JsonObject(event.data().get("feedback").toString());
            feedback.remove("answer_text");
            feedback.remove("images");
            pages.send(ownerId, new JsonObject().put("type", event.type().substring("mcp.feedback.".length()))
                    .put("feedback", feedback));
        }
    }
}
