package dev.suite.llm.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.ids.Ids;
import dev.suite.commons.problem.EarlyErrors;
import dev.suite.llm.chat.ChatException;
import dev.suite.llm.chat.ReplyShape;
import dev.suite.llm.chat.Usage;
import dev.suite.llm.chat.providers.Completion;
import dev.suite.llm.chat.providers.OpenAiShapes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * {@code POST /v1/messages} answered as Anthropic's API does: a {@code message} with text,
 * {@code thinking} and {@code tool_use} blocks, or its event stream ({@code message_start},
 * {@code content_block_start/delta/stop}, {@code message_delta}, {@code message_stop}), and errors
 * as {@code {"type": "error", "error": {"type", "message"}}}.
 */
final class MessagesShape implements ReplyShape {

    private final String model;

    /** @param model the model the client asked for, which the answer names */
    MessagesShape(String model) {
        this.model = model;
    }

    private static String messageId() {
        return "msg_" + Ids.newId().replace("-", "");
    }

    @Override
    public Buffer body(Completion completion) {
        JsonNode chat = OpenAiShapes.parse(completion.body());
        JsonNode choice = chat.path("choices").path(0);
        JsonNode message = choice.path("message");
        ObjectNode out = OpenAiShapes.object();
        out.put("id", messageId());
        out.put("type", "message");
        out.put("role", "assistant");
        out.put("model", model);
        ArrayNode content = out.putArray("content");
        String thinking = message.path("reasoning_content").asText("");
        if (!thinking.isEmpty()) {
            content.addObject().put("type", "thinking").put("thinking", thinking).put("signature", "");
        }
        String text = OpenAiShapes.text(message.get("content"));
        if (!text.isEmpty()) {
            content.addObject().put("type", "text").put("text", text);
        }
        for (JsonNode call : message.path("tool_calls")) {
            content.addObject().put("type", "tool_use").put("id", call.path("id").asText())
                    .put("name", call.path("function").path("name").asText())
                    .set("input", OpenAiShapes.arguments(call));
        }
        out.put("stop_reason", stopReason(choice.path("finish_reason").asText(null)));
        out.putNull("stop_sequence");
        out.set("usage", usage(completion.usage()));
        return Buffer.buffer(out.toString());
    }

    static String stopReason(String finishReason) {
        if (finishReason == null) {
            return "end_turn";
        }
        return switch (finishReason) {
            case "length" -> "max_tokens";
            case "tool_calls", "function_call" -> "tool_use";
            case "content_filter" -> "refusal";
            default -> "end_turn";
        };
    }

    /** In Anthropic's terms: input tokens leave out what was read from the prompt cache. */
    private static ObjectNode usage(Usage usage) {
        return OpenAiShapes.object().put("input_tokens", usage.promptTokens() - usage.cachedTokens())
                .put("cache_read_input_tokens", usage.cachedTokens())
                .put("output_tokens", usage.completionTokens());
    }

    @Override
    public ReplyShape.Stream stream() {
        return new Events();
    }

    @Override
    public void error(HttpServerResponse response, ChatException e) {
        e.answer(response, errorBody(e));
    }

    static String errorBody(ChatException e) {
        ObjectNode root = OpenAiShapes.object().put("type", "error");
        root.putObject("error").put("type", EarlyErrors.anthropicType(e.status())).put("message", e.getMessage());
        return root.toString();
    }

    /**
     * The event stream of one message, from OpenAI chunks. Blocks are opened as their kind of delta
     * first arrives — thinking, text, or a tool call (by its index) — and closed when another kind
     * begins, so block indexes count up as Anthropic's do.
     */
    private final class Events implements ReplyShape.Stream {

        private boolean started;
        private int index = -1;
        /** What the open block is: "thinking", "text", "tool:<n>", or null when none is open. */
        private String open;
        private String stopReason = "end_turn";

        @Override
        public void chunk(String openAiChunk, Buffer out) {
            JsonNode chunk = OpenAiShapes.parse(openAiChunk);
            start(out);
            for (JsonNode choice : chunk.path("choices")) {
                JsonNode delta = choice.path("delta");
                String thinking = delta.path("reasoning_content").asText("");
                if (!thinking.isEmpty()) {
                    block("thinking", () -> OpenAiShapes.object().put("type", "thinking").put("thinking", ""), out);
                    delta(OpenAiShapes.object().put("type", "thinking_delta").put("thinking", thinking), out);
                }
                String text = delta.path("content").asText("");
                if (!text.isEmpty()) {
                    block("text", () -> OpenAiShapes.object().put("type", "text").put("text", ""), out);
                    delta(OpenAiShapes.object().put("type", "text_delta").put("text", text), out);
                }
                for (JsonNode call : delta.path("tool_calls")) {
                    JsonNode fn = call.path("function");
                    block("tool:" + call.path("index").asInt(0), () -> {
                        ObjectNode use = OpenAiShapes.object().put("type", "tool_use").put("id", call.path("id").asText())
                                .put("name", fn.path("name").asText());
                        use.putObject("input");
                        return use;
                    }, out);
                    String arguments = fn.path("arguments").asText("");
                    if (!arguments.isEmpty()) {
                        delta(OpenAiShapes.object().put("type", "input_json_delta").put("partial_json", arguments), out);
                    }
                }
                String finish = choice.path("finish_reason").asText(null);
                if (finish != null) {
                    stopReason = stopReason(finish);
                }
            }
        }

        /** {@code message_start}, once, before anything else. */
        private void start(Buffer out) {
            if (started) {
                return;
            }
            started = true;
            ObjectNode message = OpenAiShapes.object().put("id", messageId()).put("type", "message")
                    .put("role", "assistant").put("model", model);
            message.putArray("content");
            message.putNull("stop_reason");
            message.putNull("stop_sequence");
            message.set("usage", usage(Usage.NONE));
            ObjectNode event = OpenAiShapes.object().put("type", "message_start");
            event.set("message", message);
            event(out, "message_start", event);
        }

        private void block(String kind, java.util.function.Supplier<ObjectNode> contentBlock, Buffer out) {
            if (kind.equals(open)) {
                return;
            }
            close(out);
            open = kind;
            index++;
            ObjectNode event = OpenAiShapes.object().put("type", "content_block_start").put("index", index);
            event.set("content_block", contentBlock.get());
            event(out, "content_block_start", event);
        }

        private void delta(ObjectNode delta, Buffer out) {
            ObjectNode event = OpenAiShapes.object().put("type", "content_block_delta").put("index", index);
            event.set("delta", delta);
            event(out, "content_block_delta", event);
        }

        private void close(Buffer out) {
            if (open != null) {
                event(out, "content_block_stop", OpenAiShapes.object().put("type", "content_block_stop").put("index", index));
                open = null;
            }
        }

        @Override
        public void end(Usage usage, Buffer out) {
            start(out);
            close(out);
            ObjectNode event = OpenAiShapes.object().put("type", "message_delta");
            event.putObject("delta").put("stop_reason", stopReason).putNull("stop_sequence");
            event.set("usage", usage(usage));
            event(out, "message_delta", event);
            event(out, "message_stop", OpenAiShapes.object().put("type", "message_stop"));
        }

        @Override
        public void error(ChatException e, Buffer out) {
            out.appendString("event: error\ndata: ").appendString(errorBody(e)).appendString("\n\n");
        }

        private void event(Buffer out, String name, ObjectNode data) {
            out.appendString("event: ").appendString(name).appendString("\ndata: ").appendString(data.toString())
                    .appendString("\n\n");
        }
    }
}
