package dev.suite.llm.chat.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.ids.Ids;
import dev.suite.llm.chat.ChatCall;
import dev.suite.llm.chat.ChatException;
import dev.suite.llm.chat.Usage;
import dev.suite.llm.config.Provider;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Ollama's native {@code /api/chat}: options instead of top-level sampling fields, images as base64
 * beside the text, tool calls with object arguments, {@code thinking}, and a newline-delimited JSON
 * stream whose last line ({@code done: true}) carries {@code prompt_eval_count}/{@code eval_count}.
 */
@ApplicationScoped
public class OllamaAdapter implements ProviderAdapter {

    @Override
    public Provider provider() {
        return Provider.OLLAMA;
    }

    @Override
    public boolean ndjsonStream() {
        return true;
    }

    @Override
    public UpstreamRequest request(ChatCall call) {
        ObjectNode in = call.request();
        if (in.path("n").asInt(1) > 1) {
            throw ChatException.invalidRequest("n > 1 is not supported by the ollama provider");
        }
        ObjectNode out = OpenAiShapes.object();
        out.put("model", call.upstreamModel());
        out.put("stream", call.stream());
        ArrayNode messages = out.putArray("messages");
        if (!in.path("messages").isArray()) {
            throw ChatException.invalidRequest("messages must be an array");
        }
        for (JsonNode message : in.path("messages")) {
            messages.add(message(message));
        }
        ObjectNode options = OpenAiShapes.object();
        if (in.path("temperature").isNumber()) {
            options.set("temperature", in.get("temperature"));
        }
        if (in.path("top_p").isNumber()) {
            options.set("top_p", in.get("top_p"));
        }
        int maxTokens = in.path("max_completion_tokens").asInt(in.path("max_tokens").asInt(0));
        if (maxTokens > 0) {
            options.put("num_predict", maxTokens);
        }
        JsonNode stop = in.path("stop");
        if (stop.isTextual()) {
            options.putArray("stop").add(stop.asText());
        } else if (stop.isArray()) {
            options.set("stop", stop);
        }
        if (!options.isEmpty()) {
            out.set("options", options);
        }
        JsonNode format = in.path("response_format");
        switch (format.path("type").asText("")) {
            case "json_object" -> out.put("format", "json");
            case "json_schema" -> out.set("format", format.path("json_schema").path("schema"));
            default -> {
            }
        }
        if (in.path("tools").isArray() && !in.path("tools").isEmpty()) {
            out.set("tools", in.get("tools"));
        }
        String effort = in.path("reasoning_effort").asText(null);
        if (effort != null) {
            out.put("think", !"none".equals(effort));
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
        if (call.apiKey() != null) {
            headers.add("Authorization", "Bearer " + call.apiKey());
        }
        return new UpstreamRequest(call.config().apiUrl() + "/api/chat", headers, Buffer.buffer(out.toString()));
    }

    private static ObjectNode message(JsonNode message) {
        ObjectNode out = OpenAiShapes.object();
        String role = message.path("role").asText();
        out.put("role", "developer".equals(role) ? "system" : role);
        JsonNode content = message.get("content");
        out.put("content", OpenAiShapes.text(content));
        if (content != null && content.isArray()) {
            ArrayNode images = null;
            for (JsonNode part : content) {
                if ("image_url".equals(part.path("type").asText())) {
                    OpenAiShapes.DataUrl data = OpenAiShapes.DataUrl.parse(part.path("image_url").path("url").asText());
                    if (data == null) {
                        throw ChatException.invalidRequest("the ollama provider takes images as data: URLs only");
                    }
                    if (images == null) {
                        images = out.putArray("images");
                    }
                    images.add(data.base64());
                }
            }
        }
        if (message.path("tool_calls").isArray()) {
            ArrayNode calls = out.putArray("tool_calls");
            for (JsonNode call : message.path("tool_calls")) {
                ObjectNode fn = calls.addObject().putObject("function");
                fn.put("name", call.path("function").path("name").asText());
                fn.set("arguments", OpenAiShapes.arguments(call));
            }
        }
        if ("tool".equals(role) && message.hasNonNull("name")) {
            out.put("tool_name", message.path("name").asText());
        }
        return out;
    }

    private static ArrayNode toolCalls(JsonNode calls, boolean withIndex) {
        ArrayNode out = OpenAiShapes.array();
        int index = 0;
        for (JsonNode call : calls) {
            ObjectNode tc = out.addObject();
            if (withIndex) {
                tc.put("index", index);
            }
            index++;
            tc.put("id", "call_" + Ids.newId().replace("-", "")).put("type", "function");
            tc.putObject("function").put("name", call.path("function").path("name").asText())
                    .put("arguments", OpenAiShapes.json(call.path("function").get("arguments")));
        }
        return out;
    }

    static String finishReason(JsonNode line, boolean calledTools) {
        if (calledTools) {
            return "tool_calls";
        }
        return "length".equals(line.path("done_reason").asText()) ? "length" : "stop";
    }

    static Usage usageOf(JsonNode line) {
        return new Usage(line.path("prompt_eval_count").asInt(0), line.path("eval_count").asInt(0));
    }

    @Override
    public Completion completion(ChatCall call, Buffer upstreamBody) {
        JsonNode body = OpenAiShapes.parse(upstreamBody);
        JsonNode in = body.path("message");
        ObjectNode message = OpenAiShapes.object().put("role", "assistant");
        boolean calledTools = in.path("tool_calls").isArray() && !in.path("tool_calls").isEmpty();
        String content = in.path("content").asText("");
        if (content.isEmpty() && calledTools) {
            message.putNull("content");
        } else {
            message.put("content", content);
        }
        if (!in.path("thinking").asText("").isEmpty()) {
            message.put("reasoning_content", in.path("thinking").asText());
        }
        if (calledTools) {
            message.set("tool_calls", toolCalls(in.path("tool_calls"), false));
        }
        return OpenAiShapes.completion(call, message, finishReason(body, calledTools), usageOf(body));
    }

    @Override
    public StreamTranslator translator(ChatCall call) {
        return new TranslatingStream(call) {
            private int toolCalls;

            @Override
            public void onFrame(String event, String data, ChunkSink out) {
                JsonNode line = OpenAiShapes.parse(data);
                if (line.has("error")) {
                    throw new ChatException(502, "upstream_error", null, "ollama: " + line.path("error").asText(), null,
                            false);
                }
                open(out);
                JsonNode message = line.path("message");
                String thinking = message.path("thinking").asText("");
                if (!thinking.isEmpty()) {
                    out.chunk(OpenAiShapes.chunk(call, d -> d.put("reasoning_content", thinking), null));
                }
                String content = message.path("content").asText("");
                if (!content.isEmpty()) {
                    out.chunk(OpenAiShapes.chunk(call, d -> d.put("content", content), null));
                }
                if (message.path("tool_calls").isArray() && !message.path("tool_calls").isEmpty()) {
                    ArrayNode calls = toolCalls(message.path("tool_calls"), true);
                    for (JsonNode tc : calls) {
                        ((ObjectNode) tc).put("index", toolCalls++);
                    }
                    out.chunk(OpenAiShapes.chunk(call, d -> d.set("tool_calls", calls), null));
                }
                if (line.path("done").asBoolean(false)) {
                    usage = usageOf(line);
                    out.chunk(OpenAiShapes.chunk(call, d -> { }, finishReason(line, toolCalls > 0)));
                }
            }

        };
    }
}
