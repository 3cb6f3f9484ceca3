package dev.suite.llm.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.llm.chat.ChatException;
import dev.suite.llm.chat.GatewayRequests;
import dev.suite.llm.chat.providers.OpenAiShapes;

/**
 * An Anthropic Messages request as the OpenAI Chat Completions request the gateway runs: system
 * prompt, text and image blocks, tool definitions, {@code tool_use} and {@code tool_result} blocks,
 * {@code tool_choice}, stop sequences and extended thinking (as a reasoning effort, which the
 * Anthropic adapter turns back into a thinking budget). What cannot be carried — server tools,
 * documents, citations — is refused with a 400 naming it, never silently dropped.
 */
final class MessagesRequests {

    private MessagesRequests() {
    }

    static ObjectNode toChat(byte[] body) {
        ObjectNode in = GatewayRequests.object(body);
        ObjectNode out = OpenAiShapes.object();
        JsonNode model = in.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw invalid("model: a model name is required (the name of one of your configs)");
        }
        out.put("model", model.asText());
        JsonNode maxTokens = in.get("max_tokens");
        if (maxTokens == null || !maxTokens.canConvertToInt() || maxTokens.asInt() < 1) {
            throw invalid("max_tokens: a positive integer is required");
        }
        out.put("max_tokens", maxTokens.asInt());
        ArrayNode messages = out.putArray("messages");
        system(in.get("system"), messages);
        JsonNode given = in.get("messages");
        if (given == null || !given.isArray() || given.isEmpty()) {
            throw invalid("messages: a non-empty array is required");
        }
        for (int i = 0; i < given.size(); i++) {
            message(given.get(i), "messages." + i, messages);
        }
        tools(in, out);
        GatewayRequests.copyNumber(in, "temperature", out);
        GatewayRequests.copyNumber(in, "top_p", out);
        JsonNode stop = in.get("stop_sequences");
        if (stop != null && !stop.isNull()) {
            if (!stop.isArray()) {
                throw invalid("stop_sequences: must be an array of strings");
            }
            out.set("stop", stop);
        }
        thinking(in.get("thinking"), out);
        JsonNode user = in.path("metadata").get("user_id");
        if (user != null && user.isTextual()) {
            out.put("user", user.asText());
        }
        JsonNode stream = in.get("stream");
        if (stream != null && !stream.isNull()) {
            if (!stream.isBoolean()) {
                throw invalid("stream: must be a boolean");
            }
            if (stream.asBoolean()) {
                out.put("stream", true);
                // The closing message_delta carries the usage, so the gateway asks every provider for it.
                out.putObject("stream_options").put("include_usage", true);
            }
        }
        return out;
    }

    /** {@code system}: a string or an array of text blocks. */
    private static void system(JsonNode system, ArrayNode messages) {
        if (system == null || system.isNull()) {
            return;
        }
        String text;
        if (system.isTextual()) {
            text = system.asText();
        } else if (system.isArray()) {
            StringBuilder joined = new StringBuilder();
            for (int i = 0; i < system.size(); i++) {
                JsonNode block = system.get(i);
                if (!"text".equals(block.path("type").asText())) {
                    throw invalid("system." + i + ": only text blocks are supported in system");
                }
                joined.append(joined.isEmpty() ? "" : "\n\n").append(block.path("text").asText());
            }
            text = joined.toString();
        } else {
            throw invalid("system: must be a string or an array of text blocks");
        }
        messages.addObject().put("role", "system").put("content", text);
    }

    private static void message(JsonNode message, String at, ArrayNode out) {
        String role = message.path("role").asText();
        if (!role.equals("user") && !role.equals("assistant")) {
            throw invalid(at + ".role: must be user or assistant");
        }
        JsonNode content = message.get("content");
        if (content != null && content.isTextual()) {
            out.addObject().put("role", role).put("content", content.asText());
            return;
        }
        if (content == null || !content.isArray()) {
            throw invalid(at + ".content: must be a string or an array of content blocks");
        }
        if (role.equals("assistant")) {
            assistant(content, at, out);
        } else {
            user(content, at, out);
        }
    }

    /** A user turn: tool results become tool messages (first, as OpenAI wants them after the call); the rest one user message. */
    private static void user(JsonNode blocks, String at, ArrayNode out) {
        ArrayNode parts = OpenAiShapes.array();
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode block = blocks.get(i);
            String where = at + ".content." + i;
            switch (block.path("type").asText()) {
                case "text" -> parts.addObject().put("type", "text").put("text", block.path("text").asText());
                case "image" -> parts.addObject().put("type", "image_url").putObject("image_url")
                        .put("url", imageUrl(block.path("source"), where));
                case "tool_result" -> {
                    String id = block.path("tool_use_id").asText("");
                    if (id.isEmpty()) {
                        throw invalid(where + ".tool_use_id: is required");
                    }
                    String text = toolResult(block.get("content"), where);
                    out.addObject().put("role", "tool").put("tool_call_id", id)
                            .put("content", block.path("is_error").asBoolean(false) ? "Error: " + text : text);
                }
                default -> throw unsupported(block, where);
            }
        }
        if (!parts.isEmpty()) {
            out.addObject().put("role", "user").set("content", parts);
        }
    }

    /** An assistant turn from the history: its text and its tool calls; earlier thinking is not sent back. */
    private static void assistant(JsonNode blocks, String at, ArrayNode out) {
        StringBuilder text = new StringBuilder();
        ArrayNode calls = OpenAiShapes.array();
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode block = blocks.get(i);
            String where = at + ".content." + i;
            switch (block.path("type").asText()) {
                case "text" -> text.append(block.path("text").asText());
                case "tool_use" -> {
                    ObjectNode call = calls.addObject();
                    call.put("id", block.path("id").asText());
                    call.put("type", "function");
                    call.putObject("function").put("name", block.path("name").asText())
                            .put("arguments", OpenAiShapes.json(block.get("input")));
                }
                case "thinking", "redacted_thinking" -> {
                    // Thinking of earlier turns informs nothing a provider behind another API reads.
                }
                default -> throw unsupported(block, where);
            }
        }
        ObjectNode message = out.addObject().put("role", "assistant");
        if (!text.isEmpty() || calls.isEmpty()) {
            message.put("content", text.toString());
        } else {
            message.putNull("content");
        }
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
    }

    private static String imageUrl(JsonNode source, String at) {
        return switch (source.path("type").asText()) {
            case "base64" -> {
                String mediaType = source.path("media_type").asText("");
                if (!mediaType.startsWith("image/")) {
                    throw invalid(at + ".source.media_type: must be an image type");
                }
                yield "data:" + mediaType + ";base64," + source.path("data").asText();
            }
            case "url" -> source.path("url").asText();
            default -> throw invalid(at + ".source.type: must be base64 or url");
        };
    }

    /** A tool result's content: a string, or text blocks (images in tool results cannot be carried). */
    private static String toolResult(JsonNode content, String at) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            JsonNode block = content.get(i);
            if (!"text".equals(block.path("type").asText())) {
                throw invalid(at + ".content." + i + ": only text is supported in tool results");
            }
            text.append(block.path("text").asText());
        }
        return text.toString();
    }

    private static void tools(JsonNode in, ObjectNode out) {
        JsonNode tools = in.get("tools");
        if (tools != null && !tools.isNull()) {
            if (!tools.isArray()) {
                throw invalid("tools: must be an array");
            }
            ArrayNode functions = out.putArray("tools");
            for (int i = 0; i < tools.size(); i++) {
                JsonNode tool = tools.get(i);
                String type = tool.path("type").asText("custom");
                if (!type.equals("custom")) {
                    throw invalid("tools." + i + ".type: server tool '" + type + "' is not supported by this gateway");
                }
                if (!tool.path("name").isTextual()) {
                    throw invalid("tools." + i + ".name: is required");
                }
                ObjectNode fn = functions.addObject().put("type", "function").putObject("function");
                fn.put("name", tool.path("name").asText());
                if (tool.path("description").isTextual()) {
                    fn.put("description", tool.path("description").asText());
                }
                fn.set("parameters", tool.has("input_schema") ? tool.get("input_schema")
                        : OpenAiShapes.object().put("type", "object"));
            }
        }
        JsonNode choice = in.get("tool_choice");
        if (choice == null || choice.isNull()) {
            return;
        }
        switch (choice.path("type").asText()) {
            case "auto" -> out.put("tool_choice", "auto");
            case "any" -> out.put("tool_choice", "required");
            case "none" -> out.put("tool_choice", "none");
            case "tool" -> out.putObject("tool_choice").put("type", "function").putObject("function")
                    .put("name", choice.path("name").asText());
            default -> throw invalid("tool_choice.type: must be auto, any, tool or none");
        }
        if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
            out.put("parallel_tool_calls", false);
        }
    }

    private static void thinking(JsonNode thinking, ObjectNode out) {
        if (thinking == null || thinking.isNull() || "disabled".equals(thinking.path("type").asText())) {
            return;
        }
        if (!"enabled".equals(thinking.path("type").asText())) {
            throw invalid("thinking.type: must be enabled or disabled");
        }
        int budget = thinking.path("budget_tokens").asInt(0);
        if (budget < 1024) {
            throw invalid("thinking.budget_tokens: must be at least 1024");
        }
        out.put("reasoning_effort", budget < 2048 ? "low" : budget < 8192 ? "medium" : "high");
    }

    private static ChatException unsupported(JsonNode block, String at) {
        return invalid(at + ".type: content blocks of type '" + block.path("type").asText() + "' are not supported here");
    }

    static ChatException invalid(String message) {
        return ChatException.invalidRequest(message);
    }
}
