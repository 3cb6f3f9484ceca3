package dev.suite.workflow.nodes.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.suite.commons.calls.SuiteHttp;
import dev.suite.commons.net.OutboundConfig;
import dev.suite.commons.stream.ChatChunkDecoder;
import dev.suite.commons.stream.LineTooLongException;
import dev.suite.workflow.nodes.ConfigSchema;
import dev.suite.workflow.nodes.Handle;
import dev.suite.workflow.nodes.HandleType;
import dev.suite.workflow.nodes.NodeCall;
import dev.suite.workflow.nodes.NodeFailure;
import dev.suite.workflow.nodes.NodeSpec;
import dev.suite.workflow.nodes.NodeType;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
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

    private final SuiteHttp http;
    private final ObjectMapper mapper;
    private final int maxLine;

    public LlmChatNode(Vertx vertx, ObjectMapper mapper, OutboundConfig outbound,
            @ConfigProperty(name = "suite.llm.url") URI base) {
        this.http = new SuiteHttp(vertx, base);
        this.mapper = mapper;
        this.maxLine = (int) Math.min(Integer.MAX_VALUE, outbound.maxLine().asLongValue());
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
        ObjectNode body = request(call);
        return Uni.createFrom().emitter(emitter -> http
                .post("/v1/chat/completions", call.caller(), "text/event-stream", Duration.ofMinutes(5))
                .onFailure(e -> emitter.fail(UpstreamFailures.of("llm-service", e)))
                .onSuccess(request -> {
                    call.cancellation().onCancel(() -> request.reset());
                    request.send(Buffer.buffer(body.toString()))
                            .onFailure(e -> emitter.fail(UpstreamFailures.of("llm-service", e)))
                            .onSuccess(response -> {
                                if (response.statusCode() != 200) {
                                    response.body().onComplete(read -> emitter.fail(UpstreamFailures.status("llm-service",
                                            response.statusCode(), read.succeeded() ? read.result().toString() : "")));
                                    return;
                                }
                                new Reading(call, response, emitter).start();
                            });
                }));
    }

    private ObjectNode request(NodeCall call) {
        ObjectNode body = mapper.createObjectNode().put("model", call.config().get("model").asText()).put("stream", true);
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

    /**
     * One streamed answer: SSE lines parsed as they arrive, pieces handed on one at a time; while
     * one is not taken yet the response is paused.
     */
    private final class Reading {

        private final NodeCall call;
        private final HttpClientResponse response;
        private final UniEmitter<? super Map<String, JsonNode>> emitter;
        private final ChatChunkDecoder decoder;
        private final StringBuilder text = new StringBuilder();
        private final ArrayDeque<String> pieces = new ArrayDeque<>();
        private boolean handing;
        private boolean ended;
        private boolean finished;

        Reading(NodeCall call, HttpClientResponse response, UniEmitter<? super Map<String, JsonNode>> emitter) {
            this.call = call;
            this.response = response;
            this.emitter = emitter;
            this.decoder = new ChatChunkDecoder(maxLine, pieces::add);
        }

        void start() {
            response.handler(this::feed);
            response.exceptionHandler(e -> fail(UpstreamFailures.of("llm-service", e)));
            response.endHandler(v -> {
                synchronized (this) {
                    decoder.end();
                    ended = true;
                    if (decoder.error() != null) {
                        fail(NodeFailure.transientFailure("llm-service failed mid-stream: " + decoder.error()));
                        return;
                    }
                }
                pump();
            });
        }

        private void feed(Buffer buffer) {
            synchronized (this) {
                try {
                    decoder.feed(buffer);
                } catch (LineTooLongException e) {
                    response.request().reset();
                    fail(NodeFailure.transientFailure("llm-service sent an event over " + maxLine + " bytes"));
                    return;
                }
                if (decoder.error() != null) {
                    fail(NodeFailure.transientFailure("llm-service failed mid-stream: " + decoder.error()));
                    return;
                }
            }
            pump();
        }

        /** Hands queued pieces on while they are taken at once; pauses the response when one is not. */
        private void pump() {
            while (true) {
                String piece;
                synchronized (this) {
                    if (handing || finished) {
                        return;
                    }
                    piece = pieces.poll();
                    if (piece == null) {
                        if (ended) {
                            finished = true;
                            ObjectNode usage = decoder.usage();
                            emitter.complete(Map.of("text", TextNode.valueOf(text.toString()), "usage",
                                    usage != null ? usage : JsonNodeFactory.instance.objectNode()));
                        }
                        return;
                    }
                    text.append(piece);
                    handing = true;
                }
                boolean[] sync = {false};
                boolean[] paused = {false};
                call.emit("stream", TextNode.valueOf(piece)).subscribe().with(ok -> {
                    boolean resume;
                    synchronized (this) {
                        handing = false;
                        sync[0] = true;
                        resume = paused[0];
                    }
                    if (resume) {
                        response.resume();
                        pump();
                    }
                }, this::fail);
                synchronized (this) {
                    if (!sync[0]) {
                        paused[0] = true;
                        response.pause();
                        return;
                    }
                }
            }
        }

        private void fail(Throwable e) {
            synchronized (this) {
                if (finished) {
                    return;
                }
                finished = true;
            }
            emitter.fail(e);
        }
    }
}
