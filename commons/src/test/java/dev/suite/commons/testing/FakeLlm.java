package dev.suite.commons.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A faithful stand-in for llm-service's {@code POST /v1/chat/completions}: OpenAI's request and
 * streaming format (chunks, a usage chunk with include_usage, {@code [DONE]}) and its error shape.
 * It answers like llm-service's {@code echo} provider — the last user message, word by word,
 * counting a word or punctuation mark as a token — for any model except:
 * {@code missing…} (404 model_not_found, as for a config that is not the caller's), {@code broken…}
 * (500), {@code failing…} (the first word, then an error event mid-stream, as providers send when
 * they fail after the headers), {@code slow…} (echo, 30 ms per word) and {@code bytewise…} (echo,
 * the stream written one byte at a time with a pause between, so multi-byte characters straddle
 * the reader's buffers).
 */
public final class FakeLlm {

    private static final Pattern TOKEN = Pattern.compile("\\w+|[^\\w\\s]", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern PIECE = Pattern.compile("\\s*\\S+");

    private final Vertx vertx;
    private HttpServer server;
    /** Every request body received, in order. */
    public final List<JsonObject> requests = new CopyOnWriteArrayList<>();
    public final List<String> authorizations = new CopyOnWriteArrayList<>();
    /** The {@code traceparent} header of each request ("null" when none came), in order. */
    public final List<String> traceparents = new CopyOnWriteArrayList<>();
    public final AtomicInteger calls = new AtomicInteger();
    /** Streams the client closed before their end. */
    public final AtomicInteger cutShort = new AtomicInteger();

    public FakeLlm(Vertx vertx) {
        this.vertx = vertx;
    }

    public int start() throws Exception {
        server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return server.actualPort();
    }

    public void reset() {
        requests.clear();
        authorizations.clear();
        traceparents.clear();
        calls.set(0);
        cutShort.set(0);
    }

    private void handle(HttpServerRequest request) {
        if (!request.path().equals("/v1/chat/completions") || request.method().name().equals("GET")) {
            request.response().setStatusCode(404).end();
            return;
        }
        request.body().onSuccess(body -> {
            JsonObject json = body.toJsonObject();
            requests.add(json);
            authorizations.add(String.valueOf(request.getHeader("Authorization")));
            traceparents.add(String.valueOf(request.getHeader("traceparent")));
            calls.incrementAndGet();
            String model = json.getString("model", "");
            if (model.startsWith("missing")) {
                error(request, 404, "The model '" + model + "' does not exist or you do not have access to it.",
                        "invalid_request_error", "model_not_found");
                return;
            }
            if (model.startsWith("broken")) {
                error(request, 500, "The provider failed.", "server_error", null);
                return;
            }
            String reply = lastUser(json.getJsonArray("messages"));
            int prompt = 0;
            for (Object m : json.getJsonArray("messages")) {
                prompt += tokens(((JsonObject) m).getString("content", ""));
            }
            JsonObject usage = new JsonObject().put("prompt_tokens", prompt).put("completion_tokens", tokens(reply))
                    .put("total_tokens", prompt + tokens(reply));
            if (!json.getBoolean("stream", false)) {
                request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                        .put("id", "chatcmpl-fake").put("object", "chat.completion").put("model", model)
                        .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                                .put("message", new JsonObject().put("role", "assistant").put("content", reply))
                                .put("finish_reason", "stop")))
                        .put("usage", usage).encode());
                return;
            }
            request.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
            List<String> chunks = new ArrayList<>();
            chunks.add(chunk(model, new JsonObject().put("role", "assistant").put("content", ""), null));
            Matcher pieces = PIECE.matcher(reply);
            while (pieces.find()) {
                chunks.add(chunk(model, new JsonObject().put("content", pieces.group()), null));
            }
            if (model.startsWith("failing")) {
                chunks.subList(Math.min(2, chunks.size()), chunks.size()).clear();
                chunks.add(new JsonObject().put("error", new JsonObject().put("message", "The provider went away.")
                        .put("type", "server_error")).encode());
                send(request, chunks, 0, 0);
                return;
            }
            chunks.add(chunk(model, new JsonObject(), "stop"));
            if (json.getJsonObject("stream_options", new JsonObject()).getBoolean("include_usage", false)) {
                chunks.add(new JsonObject().put("id", "chatcmpl-fake").put("object", "chat.completion.chunk")
                        .put("model", model).put("choices", new JsonArray()).put("usage", usage).encode());
            }
            chunks.add("[DONE]");
            if (model.startsWith("bytewise")) {
                StringBuilder stream = new StringBuilder();
                chunks.forEach(chunk -> stream.append("data: ").append(chunk).append("\n\n"));
                Bytewise.write(vertx, request.response(), stream.toString());
                return;
            }
            send(request, chunks, 0, model.startsWith("slow") ? 30 : 0);
        });
    }

    private void send(HttpServerRequest request, List<String> chunks, int index, long delay) {
        if (request.response().closed()) {
            cutShort.incrementAndGet();
            return;
        }
        if (index == chunks.size()) {
            request.response().end();
            return;
        }
        request.response().write("data: " + chunks.get(index) + "\n\n");
        if (delay == 0) {
            send(request, chunks, index + 1, 0);
        } else {
            vertx.setTimer(delay, t -> send(request, chunks, index + 1, delay));
        }
    }

    private static String chunk(String model, JsonObject delta, String finish) {
        return new JsonObject().put("id", "chatcmpl-fake").put("object", "chat.completion.chunk").put("model", model)
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta)
                        .put("finish_reason", finish))).encode();
    }

    private static void error(HttpServerRequest request, int status, String message, String type, String code) {
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", new JsonObject().put("message", message).put("type", type)
                        .put("code", code)).encode());
    }

    private static String lastUser(JsonArray messages) {
        String last = "";
        for (Object m : messages) {
            JsonObject message = (JsonObject) m;
            if ("user".equals(message.getString("role"))) {
                last = message.getString("content", "");
            }
        }
        return last;
    }

    static int tokens(String text) {
        Matcher m = TOKEN.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
