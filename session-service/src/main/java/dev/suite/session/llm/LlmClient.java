package dev.suite.session.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.ProblemType;
import dev.suite.commons.calls.Caller;
import dev.suite.commons.calls.SuiteHttp;
import dev.suite.commons.net.OutboundConfig;
import dev.suite.commons.stream.ChatChunkDecoder;
import dev.suite.commons.stream.LineTooLongException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Calls llm-service's {@code POST /v1/chat/completions} for the caller (their Authorization and
 * request id forwarded), streaming: deltas are handed over as they arrive, and the call ends with
 * the whole text and the usage llm-service reports. Failures are problems: llm-service away is a
 * 503, its refusal of the model a 409 (the config is not usable), any other failure a 502, no
 * answer in time a 504.
 */
@ApplicationScoped
public class LlmClient {

    private static final Logger LOG = Logger.getLogger(LlmClient.class);

    private final SuiteHttp http;
    private final ObjectMapper mapper;
    private final int maxLine;

    public LlmClient(Vertx vertx, ObjectMapper mapper, OutboundConfig outbound,
            @ConfigProperty(name = "suite.llm.url") URI base) {
        this.http = new SuiteHttp(vertx, base);
        this.mapper = mapper;
        this.maxLine = (int) Math.min(Integer.MAX_VALUE, outbound.maxLine().asLongValue());
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /**
     * @param model     an llm-service config id (or name)
     * @param onDelta   each piece of the answer as it streams (on an event-loop thread)
     * @param cancelled checked as chunks arrive: true ends the call early with what came so far
     */
    public Uni<Completion> stream(Caller caller, String model, List<ChatMessage> messages, Duration timeout,
            Consumer<String> onDelta, BooleanSupplier cancelled) {
        ObjectNode body = mapper.createObjectNode().put("model", model).put("stream", true);
        body.set("messages", mapper.valueToTree(messages));
        body.putObject("stream_options").put("include_usage", true);
        Uni<Completion> call = Uni.createFrom().emitter(emitter -> http
                .post("/v1/chat/completions", caller, "text/event-stream", timeout)
                .compose(request -> request.send(Buffer.buffer(body.toString())))
                .onFailure(e -> emitter.fail(failure(e)))
                .onSuccess(response -> {
                    if (response.statusCode() != 200) {
                        response.body().onComplete(read -> emitter.fail(refusal(response,
                                read.succeeded() ? read.result().toString() : "")));
                        return;
                    }
                    ChatChunkDecoder reader = new ChatChunkDecoder(maxLine, onDelta);
                    AtomicBoolean done = new AtomicBoolean();
                    response.handler(buffer -> {
                        try {
                            reader.feed(buffer);
                        } catch (LineTooLongException e) {
                            if (done.compareAndSet(false, true)) {
                                response.request().reset();
                                emitter.fail(ProblemException.upstream("llm-service sent an event over "
                                        + maxLine + " bytes.", 200));
                            }
                            return;
                        }
                        if (cancelled.getAsBoolean() && done.compareAndSet(false, true)) {
                            response.request().reset();
                            emitter.complete(completion(reader));
                        }
                    });
                    response.exceptionHandler(e -> {
                        if (done.compareAndSet(false, true)) {
                            emitter.fail(failure(e));
                        }
                    });
                    response.endHandler(ended -> {
                        if (done.compareAndSet(false, true)) {
                            reader.end();
                            if (reader.error() != null) {
                                emitter.fail(ProblemException.upstream("llm-service failed mid-stream: " + reader.error(), 200));
                            } else {
                                emitter.complete(completion(reader));
                            }
                        }
                    });
                }));
        return call.ifNoItem().after(timeout.plusSeconds(5)).failWith(() -> ProblemException.upstreamTimeout(
                "llm-service did not finish the completion in " + timeout.toSeconds() + " s."));
    }

    private static Completion completion(ChatChunkDecoder reader) {
        return new Completion(reader.text(), reader.usageCount("prompt_tokens"), reader.usageCount("completion_tokens"));
    }

    /** A completion without streaming deltas (summaries). */
    public Uni<Completion> complete(Caller caller, String model, List<ChatMessage> messages, Duration timeout) {
        return stream(caller, model, messages, timeout, delta -> { }, () -> false);
    }

    /** The failure as a problem; the network's own words (addresses, ports) go to the log, not to the caller. */
    private static Throwable failure(Throwable e) {
        if (e instanceof ProblemException) {
            return e;
        }
        LOG.warnf("llm-service call failed: %s", e.toString());
        if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
            return ProblemException.unavailable("llm-service is unreachable; try again shortly.", Duration.ofSeconds(5));
        }
        if (e instanceof TimeoutException || e instanceof io.netty.handler.timeout.TimeoutException
                || String.valueOf(e.getMessage()).contains("timeout")) {
            return ProblemException.upstreamTimeout("llm-service stopped answering.");
        }
        return ProblemException.upstream("The call to llm-service failed.", null);
    }

    private ProblemException refusal(HttpClientResponse response, String body) {
        String message = body;
        try {
            JsonNode error = mapper.readTree(body).path("error");
            if (error.hasNonNull("message")) {
                message = error.get("message").asText();
            }
        } catch (Exception e) {
            // not OpenAI's error shape: keep the text
        }
        int status = response.statusCode();
        if (status == 404 || status == 400) {
            return new ProblemException(ProblemType.CONFLICT, "llm-service refused the completion: " + message,
                    null, null, status);
        }
        if (status == 401 || status == 403) {
            return ProblemException.upstream("llm-service refused the forwarded credentials: " + message, status);
        }
        if (status == 503) {
            return ProblemException.unavailable("llm-service is unavailable: " + message, Duration.ofSeconds(5));
        }
        if (status == 504) {
            return ProblemException.upstreamTimeout("llm-service timed out: " + message);
        }
        return ProblemException.upstream("llm-service answered " + status + ": " + message, status);
    }
}
