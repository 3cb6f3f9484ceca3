package dev.suite.llm.chat.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.llm.chat.ChatCall;
import dev.suite.llm.chat.ChatException;
import dev.suite.llm.chat.Usage;
import dev.suite.llm.config.Provider;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.Map;

/**
 * Anthropic's Messages API: system prompt at the top level, {@code max_tokens} required, tool calls
 * as {@code tool_use}/{@code tool_result} blocks, thinking as {@code thinking} blocks, and a stream
 * of {@code message_start} … {@code content_block_*} … {@code message_delta} … {@code message_stop}.
 */
@ApplicationScoped
public class AnthropicAdapter implements ProviderAdapter {

    static final String VERSION = "2023-06-01";
    static final int DEFAULT_MAX_TOKENS = 4096;

    @Override
    public Provider provider() {
        return Provider.ANTHROPIC;
    }

    @Override
    public UpstreamRequest request(ChatCall call) {
        ObjectNode in = call.request();
        if (in.path("n").asInt(1) > 1) {
            throw ChatException.invalidRequest("n > 1 is not supported by the anthropic provider");
        }
        ObjectNode out = OpenAiShapes.object();
        out.put("model", call.upstreamModel());
        int maxTokens = in.path("max_completion_tokens").asInt(in.path("max_tokens").asInt(DEFAULT_MAX_TOKENS));
        out.put("max_tokens", maxTokens);
        StringBuilder system = new StringBuilder();
        out.set("messages", messages(in.path("messages"), system));
        String format = jsonInstruction(in.path("response_format"));
        if (format != null) {
            system.append(system.isEmpty() ? "" : "\n\n").append(format);
        }
        if (!system.isEmpty()) {
            out.put("system", system.toString());
        }
        copyNumber(in, "temperature", out, "temperature");
        copyNumber(in, "top_p", out, "top_p");
        JsonNode stop = in.path("stop");
        if (stop.isTextual()) {
            out.putArray("stop_sequences").add(stop.asText());
        } else if (stop.isArray()) {
            out.set("stop_sequences", stop);
        }
        if (in.path("tools").isArray() && !in.path("tools").isEmpty()) {
            ArrayNode tools = out.putArray("tools");
            for (JsonNode tool : in.path("tools")) {
                JsonNode fn = tool.path("function");
                ObjectNode t = tools.addObject();
                t.put("name", fn.path("name").asText());
                if (fn.hasNonNull("description")) {
                    t.put("description", fn.path("description").asText());
                }
                t.set("input_schema", fn.hasNonNull("parameters") ? fn.get("parameters")
                        : OpenAiShapes.object().put("type", "object"));
            }
            JsonNode choice = in.path("tool_choice");
            if (choice.isTextual()) {
                String type = switch (choice.asText()) {
                    case "required" -> "any";
                    case "none" -> "none";
                    default -> "auto";
                };
                out.putObject("tool_choice").put("type", type);
            } else if (choice.isObject()) {
                out.putObject("tool_choice").put("type", "tool").put("name", choice.path("function").path("name").asText());
            }
        }
        String effort = in.path("reasoning_effort").asText(null);
        if (effort != null && !"none".equals(effort)) {
            int budget = switch (effort) {
                case "low", "minimal" -> 1024;
                case "high" -> 16384;
                default -> 4096;
            };
            // Anthropic requires the thinking budget below max_tokens.
            out.putObject("thinking").put("type", "enabled").put("budget_tokens", Math.min(budget, Math.max(1024, maxTokens - 1)));
        }
        if (call.stream()) {
            out.put("stream", true);
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("Content-Type", "application/json")
                .add("anthropic-version", VERSION);
        if (call.apiKey() != null) {
            headers.add("x-api-key", call.apiKey());
        }
        return new UpstreamRequest(call.config().apiUrl() + "/messages", headers, Buffer.buffer(out.toString()));
    }

    /** OpenAI messages → Anthropic messages; system and developer messages go to {@code system}. */
    private static ArrayNode messages(JsonNode messages, StringBuilder system) {
        if (!messages.isArray()) {
            throw ChatException.invalidRequest("messages must be an array");
        }
        ArrayNode out = OpenAiShapes.array();
        for (JsonNode message : messages) {
            String role = message.path("role").asText();
            switch (role) {
                case "system", "developer" -> system.append(system.isEmpty() ? "" : "\n\n")
                        .append(OpenAiShapes.text(message.get("content")));
                case "user" -> append(out, "user", userBlocks(message.get("content")));
                case "assistant" -> append(out, "assistant", assistantBlocks(message));
                case "tool" -> {
                    ArrayNode blocks = OpenAiShapes.array();
                    blocks.addObject().put("type", "tool_result")
                            .put("tool_use_id", message.path("tool_call_id").asText())
                            .put("content", OpenAiShapes.text(message.get("content")));
                    append(out, "user", blocks);
                }
                default -> throw ChatException.invalidRequest("unknown message role '" + role + "'");
            }
        }
        return out;
    }

    /** Anthropic wants user and assistant turns to alternate: consecutive same-role turns are merged. */
    private static void append(ArrayNode out, String role, ArrayNode blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        JsonNode last = out.isEmpty() ? null : out.get(out.size() - 1);
        if (last != null && role.equals(last.path("role").asText())) {
            ((ArrayNode) last.get("content")).addAll(blocks);
        } else {
            ObjectNode message = out.addObject();
            message.put("role", role);
            message.set("content", blocks);
        }
    }

    private static ArrayNode userBlocks(JsonNode content) {
        ArrayNode blocks = OpenAiShapes.array();
        if (content == null || content.isNull()) {
            return blocks;
        }
        if (content.isTextual()) {
            blocks.addObject().put("type", "text").put("text", content.asText());
            return blocks;
        }
        for (JsonNode part : content) {
            switch (part.path("type").asText()) {
                case "text" -> blocks.addObject().put("type", "text").put("text", part.path("text").asText());
                case "image_url" -> {
                    String url = part.path("image_url").path("url").asText();
                    OpenAiShapes.DataUrl data = OpenAiShapes.DataUrl.parse(url);
                    ObjectNode source = blocks.addObject().put("type", "image").putObject("source");
                    if (data != null) {
                        source.put("type", "base64").put("media_type", data.mediaType()).put("data", data.base64());
                    } else {
                        source.put("type", "url").put("url", url);
                    }
                }
                default -> throw ChatException.invalidRequest("content part type '" + part.path("type").asText()
                        + "' is not supported by the anthropic provider");
            }
        }
        return blocks;
    }

    private static ArrayNode assistantBlocks(JsonNode message) {
        ArrayNode blocks = OpenAiShapes.array();
        String text = OpenAiShapes.text(message.get("content"));
        if (!text.isEmpty()) {
            blocks.addObject().put("type", "text").put("text", text);
        }
        for (JsonNode call : message.path("tool_calls")) {
            ObjectNode use = blocks.addObject();
            use.put("type", "tool_use").put("id", call.path("id").asText())
                    .put("name", call.path("function").path("name").asText());
            use.set("input", OpenAiShapes.arguments(call));
        }
        return blocks;
    }

    private static String jsonInstruction(JsonNode format) {
        return switch (format.path("type").asText("")) {
            case "json_object" -> "Respond with a single JSON object and nothing else.";
            case "json_schema" -> "Respond with a single JSON value that conforms to this JSON Schema, and nothing else: "
                    + OpenAiShapes.json(format.path("json_schema").path("schema"));
            default -> null;
        };
    }

    private static void copyNumber(JsonNode in, String from, ObjectNode out, String to) {
        if (in.path(from).isNumber()) {
            out.set(to, in.get(from));
        }
    }

    static String finishReason(String stopReason) {
        if (stopReason == null) {
            return null;
        }
        return switch (stopReason) {
            case "max_tokens" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop";
        };
    }

    @Override
    public Completion completion(ChatCall call, Buffer upstreamBody) {
        JsonNode body = OpenAiShapes.parse(upstreamBody);
        ObjectNode message = OpenAiShapes.object().put("role", "assistant");
        StringBuilder text = new StringBuilder();
        StringBuilder thinking = new StringBuilder();
        ArrayNode toolCalls = OpenAiShapes.array();
        for (JsonNode block : body.path("content")) {
            switch (block.path("type").asText()) {
                case "text" -> text.append(block.path("text").asText());
                case "thinking" -> thinking.append(block.path("thinking").asText());
                case "tool_use" -> {
                    ObjectNode tc = toolCalls.addObject().put("id", block.path("id").asText()).put("type", "function");
                    tc.putObject("function").put("name", block.path("name").asText())
                            .put("arguments", OpenAiShapes.json(block.get("input")));
                }
                default -> {
                    // redacted_thinking and future block types carry nothing an OpenAI client reads.
                }
            }
        }
        if (text.isEmpty() && !toolCalls.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", text.toString());
        }
        if (!thinking.isEmpty()) {
            message.put("reasoning_content", thinking.toString());
        }
        if (!toolCalls.isEmpty()) {
            message.set("tool_calls", toolCalls);
        }
        Usage usage = usageOf(body.path("usage"), 0);
        return OpenAiShapes.completion(call, message, finishReason(body.path("stop_reason").asText(null)), usage);
    }

    @Override
    public StreamTranslator translator(ChatCall call) {
        return new TranslatingStream(call) {
            private JsonNode started = OpenAiShapes.object();
            private int outputTokens;
            /** Anthropic content block index → OpenAI tool call index. */
            private final Map<Integer, Integer> toolIndex = new HashMap<>();

            @Override
            public void onFrame(String event, String data, ChunkSink out) {
                JsonNode frame = OpenAiShapes.parse(data);
                String type = event != null ? event : frame.path("type").asText();
                switch (type) {
                    case "message_start" -> {
                        started = frame.path("message").path("usage");
                        outputTokens = started.path("output_tokens").asInt(0);
                        open(out);
                    }
                    case "content_block_start" -> {
                        JsonNode block = frame.path("content_block");
                        if ("tool_use".equals(block.path("type").asText())) {
                            int index = toolIndex.size();
                            toolIndex.put(frame.path("index").asInt(), index);
                            out.chunk(OpenAiShapes.chunk(call, d -> {
                                ObjectNode tc = d.putArray("tool_calls").addObject();
                                tc.put("index", index).put("id", block.path("id").asText()).put("type", "function");
                                tc.putObject("function").put("name", block.path("name").asText()).put("arguments", "");
                            }, null));
                        }
                    }
                    case "content_block_delta" -> {
                        JsonNode delta = frame.path("delta");
                        switch (delta.path("type").asText()) {
                            case "text_delta" -> out.chunk(OpenAiShapes.chunk(call,
                                    d -> d.put("content", delta.path("text").asText()), null));
                            case "thinking_delta" -> out.chunk(OpenAiShapes.chunk(call,
                                    d -> d.put("reasoning_content", delta.path("thinking").asText()), null));
                            case "input_json_delta" -> {
                                Integer index = toolIndex.get(frame.path("index").asInt());
                                if (index != null) {
                                    out.chunk(OpenAiShapes.chunk(call, d -> d.putArray("tool_calls").addObject()
                                            .put("index", index).putObject("function")
                                            .put("arguments", delta.path("partial_json").asText()), null));
                                }
                            }
                            default -> {
                                // signature_delta: verification data for thinking, nothing to forward.
                            }
                        }
                    }
                    case "message_delta" -> {
                        JsonNode usage = frame.path("usage");
                        outputTokens = usage.path("output_tokens").asInt(outputTokens);
                        if (usage.has("input_tokens")) {
                            started = usage;
                        }
                        String reason = finishReason(frame.path("delta").path("stop_reason").asText(null));
                        if (reason != null) {
                            out.chunk(OpenAiShapes.chunk(call, d -> { }, reason));
                        }
                    }
                    case "error" -> {
                        JsonNode error = frame.path("error");
                        boolean overloaded = "overloaded_error".equals(error.path("type").asText());
                        throw new ChatException(overloaded ? 503 : 502, "upstream_error", error.path("type").asText(null),
                                "anthropic: " + error.path("message").asText("stream failed"), null, overloaded);
                    }
                    default -> {
                        // ping, content_block_stop, message_stop
                    }
                }
            }

            @Override
            public Usage usage() {
                return usageOf(started, outputTokens);
            }
        };
    }

    /**
     * Anthropic's usage in OpenAI's terms: its {@code input_tokens} leave out what was read from
     * and written to the prompt cache, OpenAI's prompt tokens include them. Thinking is not counted
     * apart, so reasoning tokens stay 0. A stream passes its latest output count in {@code outputTokens}.
     */
    static Usage usageOf(JsonNode usage, int outputTokens) {
        int cacheRead = usage.path("cache_read_input_tokens").asInt(0);
        int prompt = usage.path("input_tokens").asInt(0) + cacheRead + usage.path("cache_creation_input_tokens").asInt(0);
        return new Usage(prompt, Math.max(outputTokens, usage.path("output_tokens").asInt(0)), cacheRead, 0);
    }
}
