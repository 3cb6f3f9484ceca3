package dev.suite.mcp.feedback;

import dev.suite.commons.paging.Page;
import dev.suite.commons.paging.PageRequest;
import dev.suite.commons.problem.FieldError;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.ProblemType;
import dev.suite.mcp.McpSettings;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The built-in {@code collect_feedback} tool and the answers people give: an agent's call opens a
 * request for its user and waits — progress notifications keep it alive — until the person answers
 * on any replica or the time runs out; the answer comes back as text plus MCP image content.
 */
@ApplicationScoped
public class FeedbackService {

    public static final String TOOL = "collect_feedback";
    private static final Logger LOG = Logger.getLogger(FeedbackService.class);
    private static final Set<String> IMAGE_TYPES = Set.of("image/png", "image/jpeg", "image/gif", "image/webp");
    private static final int MAX_SUMMARY = 64 * 1024;
    private static final int MAX_TEXT = 64 * 1024;

    private final FeedbackStore store;
    private final FeedbackHub hub;
    private final McpSettings.Feedback settings;
    private final Vertx vertx;

    public FeedbackService(FeedbackStore store, FeedbackHub hub, McpSettings settings, Vertx vertx) {
        this.store = store;
        this.hub = hub;
        this.settings = settings.feedback();
        this.vertx = vertx;
    }

    /** The tool as MCP lists it. */
    public static JsonObject toolDefinition() {
        JsonObject properties = new JsonObject()
                .put("summary", new JsonObject().put("type", "string")
                        .put("description", "What you did or ask about, in Markdown; shown to the person."))
                .put("timeout_seconds", new JsonObject().put("type", "integer").put("minimum", 1)
                        .put("description", "How long to wait for the answer (default 600)."));
        return new JsonObject().put("name", TOOL)
                .put("title", "Collect feedback")
                .put("description", "Ask the person you work for a question or for feedback on your work, and wait for "
                        + "their answer (text, possibly with images). Their open feedback pages show it at once.")
                .put("inputSchema", new JsonObject().put("type", "object").put("properties", properties)
                        .put("required", new JsonArray().add("summary")));
    }

    /** Runs the tool for {@code ownerId}. Bad arguments fail with a validation problem. */
    public Uni<JsonObject> collect(String ownerId, JsonObject arguments, Consumer<JsonObject> progress) {
        Object summaryValue = arguments.getValue("summary");
        if (!(summaryValue instanceof String summary) || summary.isBlank() || summary.length() > MAX_SUMMARY) {
            return Uni.createFrom().failure(ProblemException.invalidField("summary",
                    "must be a non-empty string of at most " + MAX_SUMMARY + " characters"));
        }
        Object timeoutValue = arguments.getValue("timeout_seconds");
        if (timeoutValue != null && !(timeoutValue instanceof Number)) {
            return Uni.createFrom().failure(ProblemException.invalidField("timeout_seconds", "must be a number"));
        }
        long seconds = timeoutValue == null ? settings.defaultTimeout().toSeconds()
                : Math.max(1, Math.min(((Number) timeoutValue).longValue(), settings.maxTimeout().toSeconds()));
        Duration timeout = Duration.ofSeconds(seconds);
        return store.create(ownerId, summary, Instant.now().plus(timeout))
                .call(created -> hub.publish(FeedbackHub.REQUESTED, ownerId, created))
                .chain(created -> waitForAnswer(ownerId, created.feedbackId(), timeout, progress)
                        .chain(answered -> answered
                                ? store.find(ownerId, created.feedbackId(), true).map(FeedbackService::answerResult)
                                : Uni.createFrom().item(timeoutResult(timeout))));
    }

    /** The person's answer as a CallToolResult: their text, then each image as MCP image content. */
    static JsonObject answerResult(Feedback feedback) {
        JsonArray content = new JsonArray();
        String text = feedback.answerText() == null || feedback.answerText().isBlank() ? "(no text; see the images)"
                : feedback.answerText();
        content.add(new JsonObject().put("type", "text").put("text", text));
        for (Feedback.Image image : feedback.images()) {
            content.add(new JsonObject().put("type", "image").put("data", image.data()).put("mimeType", image.mimeType()));
        }
        return new JsonObject().put("content", content).put("isError", false);
    }

    static JsonObject timeoutResult(Duration timeout) {
        return new JsonObject().put("isError", true).put("content", new JsonArray().add(new JsonObject()
                .put("type", "text").put("text", "No feedback arrived within " + timeout.toSeconds()
                        + " seconds: the person did not answer. Ask again later or go on without it.")));
    }

    /** The person's answer: stored if the request is still pending, then every replica is told. */
    public Uni<Feedback> answer(String ownerId, String feedbackId, String text, JsonArray images) {
        List<FeedbackStore.NewImage> decoded = checkAnswer(text, images);
        return store.find(ownerId, feedbackId, false)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Feedback request"))
                .chain(existing -> store.answer(ownerId, feedbackId, text, decoded))
                .chain(stored -> {
                    if (!stored) {
                        throw ProblemException.conflict("This feedback request is no longer waiting for an answer.");
                    }
                    return store.find(ownerId, feedbackId, false);
                })
                .call(answered -> hub.publish(FeedbackHub.ANSWERED, ownerId, answered));
    }

    public Uni<Feedback> get(String ownerId, String feedbackId) {
        return store.find(ownerId, feedbackId, true)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Feedback request"));
    }

    public Uni<Page<Feedback>> list(String ownerId, String status, PageRequest page) {
        if (status != null && !Set.of(Feedback.PENDING, Feedback.ANSWERED, Feedback.TIMED_OUT).contains(status)) {
            return Uni.createFrom().failure(ProblemException.invalidField("status",
                    "must be pending, answered or timed_out"));
        }
        return store.list(ownerId, status, page.before(), page.fetchSize())
                .map(rows -> Page.of(rows, page, Feedback::feedbackId, row -> row));
    }

    /** Types and sizes are checked here too, whatever the page checked: 415 for a type, 413 for a size. */
    private List<FeedbackStore.NewImage> checkAnswer(String text, JsonArray images) {
        List<FieldError> errors = new ArrayList<>();
        if (text != null && text.length() > MAX_TEXT) {
            errors.add(new FieldError("text", "must be at most " + MAX_TEXT + " characters"));
        }
        int count = images == null ? 0 : images.size();
        if ((text == null || text.isBlank()) && count == 0) {
            errors.add(new FieldError("text", "or an image is required"));
        }
        if (count > settings.maxImages()) {
            errors.add(new FieldError("images", "at most " + settings.maxImages() + " images"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        List<FeedbackStore.NewImage> decoded = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Object item = images.getValue(i);
            if (!(item instanceof JsonObject image) || !(image.getValue("mime_type") instanceof String type)
                    || !(image.getValue("data") instanceof String data)) {
                throw ProblemException.invalidField("images[" + i + "]", "must be {mime_type, data (base64)}");
            }
            if (!IMAGE_TYPES.contains(type)) {
                throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "images[" + i + "] is " + type
                        + "; only PNG, JPEG, GIF and WebP images are accepted.", null, null, null);
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(data.replaceFirst("^data:[^,]*,", ""));
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalidField("images[" + i + "].data", "must be base64");
            }
            if (bytes.length > settings.maxImageBytes()) {
                throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "images[" + i + "] has " + bytes.length
                        + " bytes; at most " + settings.maxImageBytes() + " are accepted.", null, null, null);
            }
            if (!ImageSignatures.matches(type, bytes)) {
                throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "images[" + i
                        + "] is not a " + type + " image.", null, null, null);
            }
            decoded.add(new FeedbackStore.NewImage(type, bytes));
        }
        return decoded;
    }

    /** Old requests and answers go after the retention period; one replica's purge is enough, others find nothing. */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purge() {
        return store.purgeOlderThan(Instant.now().minus(settings.retention()))
                .invoke(n -> {
                    if (n > 0) {
                        LOG.infof("Purged %d feedback requests past their retention", n);
                    }
                })
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** True when answered, false when the time ran out (the request is then marked timed out). */
    private Uni<Boolean> waitForAnswer(String ownerId, String feedbackId, Duration timeout,
            Consumer<JsonObject> progress) {
        long start = System.nanoTime();
        return Uni.createFrom().<Boolean>emitter(emitter -> {
            Runnable check = () -> store.find(ownerId, feedbackId, false).subscribe().with(row -> {
                if (row != null && Feedback.ANSWERED.equals(row.status())) {
                    emitter.complete(true);
                }
            }, e -> LOG.debugf("Feedback %s not checked: %s", feedbackId, e.getMessage()));
            hub.await(feedbackId, check);
            long ticker = vertx.setPeriodic(settings.progressInterval().toMillis(), t -> {
                long elapsed = (System.nanoTime() - start) / 1_000_000_000L;
                if (progress != null) {
                    progress.accept(new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/progress")
                            .put("params", new JsonObject().put("progressToken", "").put("progress", elapsed)
                                    .put("total", timeout.toSeconds()).put("message", "Waiting for the person's feedback")));
                }
                check.run();
            });
            long deadline = vertx.setTimer(timeout.toMillis(), t -> emitter.complete(false));
            emitter.onTermination(() -> {
                vertx.cancelTimer(ticker);
                vertx.cancelTimer(deadline);
                hub.stopWaiting(feedbackId);
            });
        }).chain(answered -> answered ? Uni.createFrom().item(true)
                : store.timeOut(feedbackId).chain(timedOut -> timedOut
                        ? store.find(ownerId, feedbackId, false)
                                .call(row -> hub.publish(FeedbackHub.TIMED_OUT, ownerId, row)).replaceWith(false)
                        // Answered in the last instant: the answer wins.
                        : Uni.createFrom().item(true)));
    }
}
