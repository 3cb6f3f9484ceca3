package dev.suite.llm.chat;

import dev.suite.commons.testing.Bytewise;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Local stand-ins for the LLM providers, speaking each one's real wire format: OpenAI Chat
 * Completions (JSON and SSE), Anthropic Messages (named SSE events), Gemini generateContent and
 * streamGenerateContent (SSE), and Ollama /api/chat (NDJSON). The model name picks the behaviour;
 * requests are recorded so tests can check what the gateway sent.
 */
public class FakeProviders implements QuarkusTestResourceLifecycleManager {

    public static final String OPENAI_KEY = "sk-openai-good";
    public static final String ANTHROPIC_KEY = "sk-ant-good";
    public static final String GEMINI_KEY = "gemini-good";

    static final Map<String, List<JsonObject>> REQUESTS = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
    /** The traceparent header of each model's last request, "" when none came (the suite sends none out). */
    static final Map<String, String> TRACEPARENTS = new ConcurrentHashMap<>();
    /** Models whose stream the client abandoned: the fake saw its connection close. */
    static final List<String> CLOSED = new CopyOnWriteArrayList<>();
    private static int port;
    private Vertx vertx;

    public static String base() {
        return "http://127.0.0.1:" + port;
    }

    static List<JsonObject> requests(String model) {
        return REQUESTS.getOrDefault(model, List.of());
    }

    /** The last request the fake got for a model. */
    public static JsonObject lastRequest(String model) {
        List<JsonObject> all = requests(model);
        return all.get(all.size() - 1);
    }

    public static int calls(String model) {
        return CALLS.getOrDefault(model, new AtomicInteger()).get();
    }

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(this::route);
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        port = server.actualPort();
        return Map.of();
    }

    @Override
    public void stop() {
        vertx.close();
    }

    private void route(HttpServerRequest req) {
        req.body().onSuccess(buffer -> {
            JsonObject body = buffer.length() == 0 ? new JsonObject() : buffer.toJsonObject();
            String path = req.path();
            String model = path.startsWith("/gemini/") ? path.substring(path.lastIndexOf('/') + 1).split(":")[0]
                    : body.getString("model", "");
            REQUESTS.computeIfAbsent(model, m -> new CopyOnWriteArrayList<>()).add(body);
            TRACEPARENTS.put(model, req.getHeader("traceparent") == null ? "" : req.getHeader("traceparent"));
            int call = CALLS.computeIfAbsent(model, m -> new AtomicInteger()).incrementAndGet();
            HttpServerResponse res = req.response();
            if (path.endsWith("/embeddings") || path.endsWith(":batchEmbedContents") || path.endsWith("/api/embed")) {
                embeddings(res, path, body);
            } else if (path.startsWith("/openai/")) {
                openai(req, res, model, body, call);
            } else if (path.startsWith("/anthropic/")) {
                anthropic(req, res, model, body);
            } else if (path.startsWith("/gemini/")) {
                gemini(req, res, model, path.contains(":streamGenerateContent"));
            } else if (path.startsWith("/ollama/")) {
                ollama(res, model, body);
            } else {
                res.setStatusCode(404).end();
            }
        });
    }

    // ------------------------------------------------------------------ OpenAI

    private void openai(HttpServerRequest req, HttpServerResponse res, String model, JsonObject body, int call) {
        if (!("Bearer " + OPENAI_KEY).equals(req.getHeader("Authorization"))) {
            json(res, 401, new JsonObject().put("error", new JsonObject().put("message", "Incorrect API key provided.")
                    .put("type", "invalid_request_error").put("code", "invalid_api_key")));
            return;
        }
        boolean stream = body.getBoolean("stream", false);
        if (model.startsWith("gpt-endless")) {
            endless(res, model, stream);
        } else if (model.startsWith("gpt-redirect")) {
            res.setStatusCode(307).putHeader("Location", "http://169.254.169.254/latest/meta-data/").end();
        } else if (model.startsWith("gpt-429")) {
            res.putHeader("Retry-After", "1");
            json(res, 429, new JsonObject().put("error", new JsonObject().put("message", "Rate limit reached")
                    .put("type", "requests").put("code", "rate_limit_exceeded")));
        } else if (model.startsWith("gpt-flaky") && call == 1) {
            json(res, 503, new JsonObject().put("error", new JsonObject().put("message", "The server is overloaded")));
        } else if (model.startsWith("gpt-slow")) {
            vertx.setTimer(3000, id -> {
                if (!res.closed()) {
                    json(res, 200, openaiCompletion(model, "late"));
                }
            });
        } else if (model.startsWith("gpt-sleepy") && stream) {
            // Answers at once, then thinks for a while before the first token.
            sse(res);
            res.write(": thinking\n\n");
            vertx.setTimer(1200, id -> {
                data(res, chunk("chatcmpl-fake", model, new JsonObject().put("role", "assistant").put("content", "Awake"),
                        "stop"));
                res.end("data: [DONE]\n\n");
            });
        } else if (model.startsWith("gpt-bytewise") && stream) {
            StringBuilder events = new StringBuilder();
            for (String piece : BYTEWISE_PIECES) {
                events.append("data: ").append(chunk("chatcmpl-fake", model, new JsonObject().put("content", piece), null))
                        .append("\n\n");
            }
            sse(res);
            Bytewise.write(vertx, res, events.append("data: [DONE]\n\n").toString());
        } else if (model.startsWith("gpt-bad")) {
            json(res, 400, new JsonObject().put("error", new JsonObject()
                    .put("message", "Invalid value for 'temperature'").put("type", "invalid_request_error")));
        } else if (!stream) {
            json(res, 200, model.startsWith("gpt-tools") ? openaiToolCompletion(model) : openaiCompletion(model,
                    "Hello from OpenAI"));
        } else {
            sse(res);
            String id = "chatcmpl-fake";
            if (model.startsWith("gpt-tools")) {
                data(res, chunk(id, model, new JsonObject().put("role", "assistant").putNull("content")
                        .put("tool_calls", new JsonArray().add(new JsonObject().put("index", 0).put("id", "call_abc")
                                .put("type", "function").put("function",
                                        new JsonObject().put("name", "get_weather").put("arguments", "")))), null));
                for (String fragment : List.of("{\"city\":", "\"Paris\"}")) {
                    data(res, chunk(id, model, new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject()
                            .put("index", 0).put("function", new JsonObject().put("arguments", fragment)))), null));
                }
                data(res, chunk(id, model, new JsonObject(), "tool_calls"));
            } else {
                data(res, chunk(id, model, new JsonObject().put("role", "assistant").put("content", ""), null));
                data(res, chunk(id, model, new JsonObject().put("content", "Hello"), null));
                if (model.startsWith("gpt-drop")) {
                    res.reset();
                    return;
                }
                if (model.startsWith("gpt-hang")) {
                    res.closeHandler(v -> CLOSED.add(model));
                    return;
                }
                data(res, chunk(id, model, new JsonObject().put("content", " from OpenAI"), null));
                data(res, chunk(id, model, new JsonObject(), "stop"));
            }
            if (body.getJsonObject("stream_options", new JsonObject()).getBoolean("include_usage", false)) {
                data(res, new JsonObject().put("id", id).put("object", "chat.completion.chunk").put("model", model)
                        .put("choices", new JsonArray()).put("usage", usageOf(model)).encode());
            }
            res.end("data: [DONE]\n\n");
        }
    }

    /**
     * A provider that never stops: a JSON body (or, streamed, one SSE line) that goes on for ever,
     * written as fast as the gateway reads. Counts what it sent and notes when the gateway hung up.
     */
    private void endless(HttpServerResponse res, String model, boolean stream) {
        res.setChunked(true).putHeader("Content-Type", stream ? "text/event-stream" : "application/json");
        res.write(stream ? "data: {\"choices\": [{\"delta\": {\"content\": \"" : "{\"choices\": [{\"message\": {\"content\": \"");
        io.vertx.core.buffer.Buffer chunk = io.vertx.core.buffer.Buffer.buffer("x".repeat(64 * 1024));
        AtomicInteger sent = CALLS.computeIfAbsent(model + ":kib", m -> new AtomicInteger());
        res.closeHandler(v -> CLOSED.add(model));
        vertx.setPeriodic(1, id -> {
            if (res.closed()) {
                vertx.cancelTimer(id);
                return;
            }
            while (!res.writeQueueFull()) {
                res.write(chunk);
                sent.addAndGet(64);
            }
        });
    }

    /** KiB an endless model managed to send before the gateway hung up. */
    static int sentKib(String model) {
        return calls(model + ":kib");
    }

    private static JsonObject openaiCompletion(String model, String content) {
        return new JsonObject().put("id", "chatcmpl-fake").put("object", "chat.completion").put("created", 1)
                .put("model", model)
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                        .put("message", new JsonObject().put("role", "assistant").put("content", content))
                        .put("finish_reason", "stop")))
                .put("usage", usageOf(model));
    }

    private static JsonObject openaiToolCompletion(String model) {
        return new JsonObject().put("id", "chatcmpl-fake").put("object", "chat.completion").put("created", 1)
                .put("model", model)
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                        .put("message", new JsonObject().put("role", "assistant").putNull("content")
                                .put("tool_calls", new JsonArray().add(new JsonObject().put("id", "call_abc")
                                        .put("type", "function").put("function", new JsonObject()
                                                .put("name", "get_weather").put("arguments", "{\"city\":\"Paris\"}")))))
                        .put("finish_reason", "tool_calls")))
                .put("usage", usage(12, 8));
    }

    private static String chunk(String id, String model, JsonObject delta, String finish) {
        return new JsonObject().put("id", id).put("object", "chat.completion.chunk").put("created", 1)
                .put("model", model)
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta)
                        .put("finish_reason", finish)))
                .encode();
    }

    /**
     * A "gpt-cached" model reports, as OpenAI does, 2,000 prompt tokens of which 1,500 were read
     * from the prompt cache, and 300 completion tokens of which 200 were reasoning.
     */
    private static JsonObject usageOf(String model) {
        if (!model.startsWith("gpt-cached")) {
            return usage(7, 4);
        }
        return usage(2000, 300).put("prompt_tokens_details", new JsonObject().put("cached_tokens", 1500))
                .put("completion_tokens_details", new JsonObject().put("reasoning_tokens", 200));
    }

    private static JsonObject usage(int prompt, int completion) {
        return new JsonObject().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
    }

    // --------------------------------------------------------------- Anthropic

    private void anthropic(HttpServerRequest req, HttpServerResponse res, String model, JsonObject body) {
        if (!ANTHROPIC_KEY.equals(req.getHeader("x-api-key")) || req.getHeader("anthropic-version") == null) {
            json(res, 401, new JsonObject().put("type", "error").put("error", new JsonObject()
                    .put("type", "authentication_error").put("message", "invalid x-api-key")));
            return;
        }
        if (!body.getBoolean("stream", false)) {
            JsonArray content = new JsonArray()
                    .add(new JsonObject().put("type", "thinking").put("thinking", "Let me think.").put("signature", "s"))
                    .add(new JsonObject().put("type", "text").put("text", "Hello from Claude"));
            String stop = "end_turn";
            if (model.startsWith("claude-tools")) {
                content.add(new JsonObject().put("type", "tool_use").put("id", "toolu_1").put("name", "get_weather")
                        .put("input", new JsonObject().put("city", "Paris")));
                stop = "tool_use";
            }
            json(res, 200, new JsonObject().put("id", "msg_1").put("type", "message").put("role", "assistant")
                    .put("model", model).put("content", content).put("stop_reason", stop)
                    .put("usage", anthropicUsage(model, 9)));
            return;
        }
        sse(res);
        event(res, "message_start", new JsonObject().put("type", "message_start").put("message", new JsonObject()
                .put("id", "msg_1").put("type", "message").put("role", "assistant").put("content", new JsonArray())
                .put("model", model).put("usage", anthropicUsage(model, 1))));
        event(res, "ping", new JsonObject().put("type", "ping"));
        if (model.startsWith("claude-error")) {
            event(res, "error", new JsonObject().put("type", "error").put("error", new JsonObject()
                    .put("type", "overloaded_error").put("message", "Overloaded")));
            res.end();
            return;
        }
        event(res, "content_block_start", new JsonObject().put("type", "content_block_start").put("index", 0)
                .put("content_block", new JsonObject().put("type", "thinking").put("thinking", "")));
        event(res, "content_block_delta", new JsonObject().put("type", "content_block_delta").put("index", 0)
                .put("delta", new JsonObject().put("type", "thinking_delta").put("thinking", "Let me think.")));
        event(res, "content_block_stop", new JsonObject().put("type", "content_block_stop").put("index", 0));
        event(res, "content_block_start", new JsonObject().put("type", "content_block_start").put("index", 1)
                .put("content_block", new JsonObject().put("type", "text").put("text", "")));
        for (String piece : List.of("Hello", " from Claude")) {
            event(res, "content_block_delta", new JsonObject().put("type", "content_block_delta").put("index", 1)
                    .put("delta", new JsonObject().put("type", "text_delta").put("text", piece)));
        }
        event(res, "content_block_stop", new JsonObject().put("type", "content_block_stop").put("index", 1));
        String stop = "end_turn";
        if (model.startsWith("claude-tools")) {
            event(res, "content_block_start", new JsonObject().put("type", "content_block_start").put("index", 2)
                    .put("content_block", new JsonObject().put("type", "tool_use").put("id", "toolu_1")
                            .put("name", "get_weather").put("input", new JsonObject())));
            for (String fragment : List.of("{\"city\": ", "\"Paris\"}")) {
                event(res, "content_block_delta", new JsonObject().put("type", "content_block_delta").put("index", 2)
                        .put("delta", new JsonObject().put("type", "input_json_delta").put("partial_json", fragment)));
            }
            event(res, "content_block_stop", new JsonObject().put("type", "content_block_stop").put("index", 2));
            stop = "tool_use";
        }
        event(res, "message_delta", new JsonObject().put("type", "message_delta")
                .put("delta", new JsonObject().put("stop_reason", stop))
                .put("usage", new JsonObject().put("output_tokens", model.startsWith("claude-cached") ? 300 : 9)));
        event(res, "message_stop", new JsonObject().put("type", "message_stop"));
        res.end();
    }

    /** A "claude-cached" model read 1,500 of its 2,000 prompt tokens from the cache: Anthropic counts them apart. */
    private static JsonObject anthropicUsage(String model, int output) {
        if (!model.startsWith("claude-cached")) {
            return new JsonObject().put("input_tokens", 21).put("output_tokens", output);
        }
        return new JsonObject().put("input_tokens", 500).put("cache_read_input_tokens", 1500)
                .put("cache_creation_input_tokens", 0).put("output_tokens", output == 9 ? 300 : output);
    }

    // ------------------------------------------------------------------ Gemini

    private void gemini(HttpServerRequest req, HttpServerResponse res, String model, boolean stream) {
        if (!GEMINI_KEY.equals(req.getHeader("x-goog-api-key"))) {
            json(res, 403, new JsonObject().put("error", new JsonObject().put("code", 403)
                    .put("message", "API key not valid.").put("status", "PERMISSION_DENIED")));
            return;
        }
        JsonObject usage = model.startsWith("gemini-cached")
                ? new JsonObject().put("promptTokenCount", 2000).put("cachedContentTokenCount", 1500)
                        .put("candidatesTokenCount", 100).put("thoughtsTokenCount", 200).put("totalTokenCount", 2300)
                : new JsonObject().put("promptTokenCount", 11).put("candidatesTokenCount", 5)
                        .put("thoughtsTokenCount", 3).put("totalTokenCount", 19);
        JsonArray parts = new JsonArray().add(new JsonObject().put("text", "Pondering.").put("thought", true))
                .add(new JsonObject().put("text", "Hello from Gemini"));
        if (model.startsWith("gemini-tools")) {
            parts = new JsonArray().add(new JsonObject().put("functionCall", new JsonObject().put("name", "get_weather")
                    .put("args", new JsonObject().put("city", "Paris"))));
        }
        if (!stream) {
            json(res, 200, new JsonObject().put("candidates", new JsonArray().add(new JsonObject()
                    .put("content", new JsonObject().put("role", "model").put("parts", parts))
                    .put("finishReason", "STOP"))).put("usageMetadata", usage));
            return;
        }
        sse(res);
        for (int i = 0; i < parts.size(); i++) {
            JsonObject candidate = new JsonObject().put("content", new JsonObject().put("role", "model")
                    .put("parts", new JsonArray().add(parts.getJsonObject(i))));
            JsonObject frame = new JsonObject().put("candidates", new JsonArray().add(candidate));
            if (i == parts.size() - 1) {
                candidate.put("finishReason", "STOP");
                frame.put("usageMetadata", usage);
            }
            data(res, frame.encode());
        }
        res.end();
    }

    // ------------------------------------------------------------------ Ollama

    private void ollama(HttpServerResponse res, String model, JsonObject body) {
        boolean tools = model.startsWith("llama-tools");
        JsonObject done = new JsonObject().put("model", model).put("done", true).put("done_reason", "stop")
                .put("prompt_eval_count", 13).put("eval_count", 6);
        if (!body.getBoolean("stream", true)) {
            JsonObject message = new JsonObject().put("role", "assistant").put("content", tools ? "" : "Hello from Llama")
                    .put("thinking", "Hmm.");
            if (tools) {
                message.put("tool_calls", new JsonArray().add(new JsonObject().put("function",
                        new JsonObject().put("name", "get_weather").put("arguments", new JsonObject().put("city", "Paris")))));
            }
            json(res, 200, done.copy().put("message", message));
            return;
        }
        res.setChunked(true).putHeader("Content-Type", "application/x-ndjson");
        if (model.startsWith("llama-bytewise")) {
            StringBuilder lines = new StringBuilder();
            for (String piece : BYTEWISE_PIECES) {
                lines.append(new JsonObject().put("model", model).put("done", false)
                        .put("message", new JsonObject().put("role", "assistant").put("content", piece)).encode()).append('\n');
            }
            Bytewise.write(vertx, res, lines.append(done.put("message", new JsonObject().put("role", "assistant").put("content", ""))
                    .encode()).append('\n').toString());
            return;
        }
        res.write(new JsonObject().put("model", model).put("done", false)
                .put("message", new JsonObject().put("role", "assistant").put("content", "").put("thinking", "Hmm."))
                .encode() + "\n");
        if (tools) {
            res.write(new JsonObject().put("model", model).put("done", false).put("message", new JsonObject()
                    .put("role", "assistant").put("content", "").put("tool_calls", new JsonArray().add(new JsonObject()
                            .put("function", new JsonObject().put("name", "get_weather")
                                    .put("arguments", new JsonObject().put("city", "Paris")))))).encode() + "\n");
        } else {
            for (String piece : List.of("Hello", " from Llama")) {
                res.write(new JsonObject().put("model", model).put("done", false)
                        .put("message", new JsonObject().put("role", "assistant").put("content", piece)).encode() + "\n");
            }
        }
        res.end(done.put("message", new JsonObject().put("role", "assistant").put("content", "")).encode() + "\n");
    }

    // -------------------------------------------------------------- embeddings

    /** The vector each fake answers for the i-th input: [i, 0.5, -0.5] in every provider's own shape. */
    public static List<Double> vector(int i) {
        return List.of((double) i, 0.5, -0.5);
    }

    private static void embeddings(HttpServerResponse res, String path, JsonObject body) {
        if (path.startsWith("/openai/")) {
            JsonArray data = new JsonArray();
            int n = body.getValue("input") instanceof JsonArray items ? items.size() : 1;
            for (int i = 0; i < n; i++) {
                data.add(new JsonObject().put("object", "embedding").put("index", i).put("embedding", new JsonArray(vector(i))));
            }
            json(res, 200, new JsonObject().put("object", "list").put("data", data).put("model", body.getString("model"))
                    .put("usage", new JsonObject().put("prompt_tokens", 7).put("total_tokens", 7)));
        } else if (path.startsWith("/gemini/")) {
            JsonArray embeddings = new JsonArray();
            for (int i = 0; i < body.getJsonArray("requests").size(); i++) {
                embeddings.add(new JsonObject().put("values", new JsonArray(vector(i))));
            }
            json(res, 200, new JsonObject().put("embeddings", embeddings));
        } else {
            JsonArray embeddings = new JsonArray();
            for (int i = 0; i < body.getJsonArray("input").size(); i++) {
                embeddings.add(new JsonArray(vector(i)));
            }
            json(res, 200, new JsonObject().put("model", body.getString("model")).put("embeddings", embeddings)
                    .put("prompt_eval_count", 9));
        }
    }

    // ----------------------------------------------------------------- helpers

    /** What the {@code …-bytewise} models answer: characters of one to four bytes. */
    static final List<String> BYTEWISE_PIECES = List.of("你好，", "世界 🌍 ", "ありがとう — ça va");

    private static void json(HttpServerResponse res, int status, JsonObject body) {
        res.setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    private static void sse(HttpServerResponse res) {
        res.setChunked(true).putHeader("Content-Type", "text/event-stream");
    }

    private static void data(HttpServerResponse res, String json) {
        res.write("data: " + json + "\n\n");
    }

    private static void event(HttpServerResponse res, String name, JsonObject data) {
        res.write("event: " + name + "\ndata: " + data.encode() + "\n\n");
    }
}
