package dev.suite.llm.chat.providers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.llm.chat.ChatCall;
import dev.suite.llm.chat.ChatException;
import dev.suite.llm.chat.Usage;
import io.vertx.core.buffer.Buffer;

import java.util.function.Consumer;

/**
 * The OpenAI shapes the translating adapters produce (completions, chunks, usage) and read (message
 * content, tool calls, image parts). Uses a plain mapper: these are wire formats, not our snake_case API.
 */
public final class OpenAiShapes {

    public static final ObjectMapper JSON = new ObjectMapper();

    private OpenAiShapes() {
    }

    public static String chunk(ChatCall call, Consumer<ObjectNode> delta, String finishReason) {
        ObjectNode chunk = header(call, "chat.completion.chunk");
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        delta.accept(choice.putObject("delta"));
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return chunk.toString();
    }

    /** The extra last chunk of {@code stream_options.include_usage}: no choices, only usage. */
    public static String usageChunk(ChatCall call, Usage usage) {
        ObjectNode chunk = header(call, "chat.completion.chunk");
        chunk.putArray("choices");
        chunk.set("usage", usage(usage));
        return chunk.toString();
    }

    public static Completion completion(ChatCall call, ObjectNode message, String finishReason, Usage usage) {
        ObjectNode body = header(call, "chat.completion");
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("message", message);
        choice.put("finish_reason", finishReason);
        body.set("usage", usage(usage));
        return new Completion(Buffer.buffer(body.toString()), usage);
    }

    public static ObjectNode usage(Usage usage) {
        ObjectNode node = JSON.createObjectNode();
        node.put("prompt_tokens", usage.promptTokens());
        node.put("completion_tokens", usage.completionTokens());
        node.put("total_tokens", usage.totalTokens());
        node.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedTokens());
        node.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
        return node;
    }

    private static ObjectNode header(ChatCall call, String object) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", call.completionId());
        node.put("object", object);
        node.put("created", call.created());
        node.put("model", call.upstreamModel());
        return node;
    }

    /** The text of a message's content: a string, or the text parts of an array. */
    public static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder out = new StringBuilder();
        if (content.isArray()) {
            for (JsonNode part : content) {
                if ("text".equals(part.path("type").asText())) {
                    out.append(part.path("text").asText());
                }
            }
        }
        return out.toString();
    }

    /** A tool call's {@code arguments} (a JSON string) as an object, for providers that want objects. */
    public static JsonNode arguments(JsonNode toolCall) {
        String arguments = toolCall.path("function").path("arguments").asText("");
        if (arguments.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(arguments);
        } catch (JsonProcessingException e) {
            throw ChatException.invalidRequest("tool call " + toolCall.path("id").asText()
                    + " has arguments that are not JSON");
        }
    }

    public static String json(JsonNode node) {
        return node == null || node.isNull() ? "{}" : node.toString();
    }

    /** A parsed {@code data:} image URL: its media type and base64 data; null for a remote URL. */
    public record DataUrl(String mediaType, String base64) {

        public static DataUrl parse(String url) {
            if (url == null || !url.startsWith("data:")) {
                return null;
            }
            int comma = url.indexOf(',');
            int base64 = url.indexOf(";base64");
            if (comma < 0 || base64 < 0 || base64 > comma) {
                throw ChatException.invalidRequest("image_url data URLs must be base64 encoded");
            }
            return new DataUrl(url.substring(5, base64), url.substring(comma + 1));
        }
    }

    public static ArrayNode array() {
        return JSON.createArrayNode();
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    public static JsonNode parse(Buffer body) {
        try {
            return JSON.readTree(body.getBytes());
        } catch (java.io.IOException e) {
            throw new ChatException(502, "upstream_error", "upstream_malformed",
                    "The provider answered with malformed JSON.", null, false);
        }
    }

    public static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ChatException(502, "upstream_error", "upstream_malformed",
                    "The provider streamed malformed JSON.", null, false);
        }
    }

    /** {@code error.message} of an upstream error body (OpenAI, Anthropic, Gemini and Ollama all nest it so or flat). */
    public static String errorMessage(Buffer body) {
        try {
            JsonNode node = JSON.readTree(body.getBytes());
            JsonNode error = node.path("error");
            if (error.isTextual()) {
                return error.asText();
            }
            if (error.path("message").isTextual()) {
                return error.path("message").asText();
            }
        } catch (java.io.IOException | RuntimeException e) {
            // Not JSON: fall through to the raw text below.
        }
        String text = body.toString();
        return text.isBlank() ? null : text.length() > 300 ? text.substring(0, 300) : text;
    }
}
