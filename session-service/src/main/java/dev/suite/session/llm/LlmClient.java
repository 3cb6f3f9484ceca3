package dev.suite.session.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.calls.Caller;
import dev.suite.commons.calls.ChatStreamClient;
import dev.suite.commons.calls.ServiceTarget;
import dev.suite.commons.net.OutboundConfig;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.Config;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Chat completions from llm-service for the caller, streamed through the suite's
 * {@link ChatStreamClient} (target {@code llm-service}): deltas are handed over as they arrive,
 * and the call ends with the whole text and the usage llm-service reports. Failures are the
 * client's problems, except that llm-service refusing the model (400, 404) is a 409 here: the
 * session's config is not usable.
 */
@ApplicationScoped
public class LlmClient {

    private final ChatStreamClient client;
    private final ObjectMapper mapper;

    public LlmClient(Vertx vertx, ObjectMapper mapper, OutboundConfig outbound, Config config) {
        this.client = new ChatStreamClient(vertx, ServiceTarget.fromConfig(config, "llm-service"),
                (int) Math.min(Integer.MAX_VALUE, outbound.maxLine().asLongValue()));
        this.mapper = mapper;
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /**
     * @param model     an llm-service config id (or name)
     * @param onDelta   each piece of the answer as it streams (on an event-loop thread)
     * @param cancelled checked as pieces arrive: true ends the call early with what came so far
     */
    public Uni<Completion> stream(Caller caller, String model, List<ChatMessage> messages, Duration timeout,
            Consumer<String> onDelta, BooleanSupplier cancelled) {
        ObjectNode body = mapper.createObjectNode().put("model", model);
        body.set("messages", mapper.valueToTree(messages));
        body.putObject("stream_options").put("include_usage", true);
        return client.stream(caller, body, new ChatStreamClient.DeltaSink() {
                    @Override
                    public Uni<Void> take(String piece) {
                        onDelta.accept(piece);
                        return Uni.createFrom().voidItem();
                    }

                    @Override
                    public boolean stopped() {
                        return cancelled.getAsBoolean();
                    }
                })
                .ifNoItem().after(timeout).failWith(() -> ProblemException.upstreamTimeout(
                        "llm-service did not finish the completion in " + timeout.toSeconds() + " s."))
                .onFailure(LlmClient::refusedModel).transform(e -> new ProblemException(ProblemType.CONFLICT,
                        "The model is not usable: " + e.getMessage(), null, null, ((ProblemException) e).upstreamStatus()))
                .map(answer -> new Completion(answer.text(), answer.usageCount("prompt_tokens"),
                        answer.usageCount("completion_tokens")));
    }

    /** A completion without streaming deltas (summaries). */
    public Uni<Completion> complete(Caller caller, String model, List<ChatMessage> messages, Duration timeout) {
        return stream(caller, model, messages, timeout, delta -> { }, () -> false);
    }

    private static boolean refusedModel(Throwable e) {
        return e instanceof ProblemException problem && problem.type() == ProblemType.UPSTREAM
                && problem.upstreamStatus() != null
                && (problem.upstreamStatus() == 400 || problem.upstreamStatus() == 404);
    }
}
