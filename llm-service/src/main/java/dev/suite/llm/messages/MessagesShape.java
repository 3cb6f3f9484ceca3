package dev.suite.llm.messages;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.problem.EarlyErrors;
import dev.suite.llm.chat.ChatException;
import dev.suite.llm.chat.ReplyIds;
import dev.suite.llm.chat.ReplyShape;
import dev.suite.llm.chat.Usage;
import dev.suite.llm.chat.providers.Completion;
import dev.suite.llm.chat.providers.OpenAiShapes;
import dev.suite.llm.chat.stream.ChunkDeltas;
import dev.suite.llm.chat.stream.StreamingJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code POST /v1/messages} answered as Anthropic's API does: a {@code message} with text,
 * {@code thinking} and {@code tool_use} blocks, or its event stream ({@code message_start},
 * {@code content_block_start/delta/stop}, {@code message_delta}, {@code message_stop}), and errors
 * as {@code {"type": "error", "error": {"type", "message"}}}.
 */
final class MessagesShape implements ReplyShape {

    /** What follows the text of every delta event. */
    private static final byte[] DELTA_TAIL = "}}\n\n".getBytes(StandardCharsets.UTF_8);

    private final String model;

    /** @param model the model the client asked for, which the answer names */
    MessagesShape(String model) {
        this.model = model;
    }

    /** Message ids are unique, not secret: nothing is looked up by them. */
    private static String messageId() {
        return ReplyIds.next("msg_");
    }

    @Override
    public Buffer body(Completion completion) {
        JsonNode choice = OpenAiShapes.parse(completion.body()).path("choices").path(0);
        JsonNode message = choice.path("message");
        return StreamingJson.buffer(json -> {
            json.writeStartObject();
            json.writeStringField("id", messageId());
            json.writeStringField("type", "message");
            json.writeStringField("role", "assistant");
            json.writeStringField("model", model);
            json.writeArrayFieldStart("content");
            String thinking = message.path("reasoning_content").asText("");
            if (!thinking.isEmpty()) {
                json.writeStartObject();
                json.writeStringField("type", "thinking");
                json.writeStringField("thinking", thinking);
                json.writeStringField("signature", "");
                json.writeEndObject();
            }
            String text = OpenAiShapes.text(message.get("content"));
            if (!text.isEmpty()) {
                json.writeStartObject();
                json.writeStringField("type", "text");
                json.writeStringField("text", text);
                json.writeEndObject();
            }
            for (JsonNode call : message.path("tool_calls")) {
                JsonNode input = OpenAiShapes.arguments(call);
                json.writeStartObject();
                json.writeStringField("type", "tool_use");
                json.writeStringField("id", call.path("id").asText());
                json.writeStringField("name", call.path("function").path("name").asText());
                json.writeFieldName("input");
                OpenAiShapes.JSON.writeTree(json, input);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeStringField("stop_reason", stopReason(choice.path("finish_reason").asText(null)));
            json.writeNullField("stop_sequence");
            usage(json, completion.usage());
            json.writeEndObject();
        });
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

    /** The {@code usage} field, in Anthropic's terms: input tokens leave out what was read from the prompt cache. */
    private static void usage(JsonGenerator json, Usage usage) throws IOException {
        json.writeObjectFieldStart("usage");
        json.writeNumberField("input_tokens", usage.promptTokens() - usage.cachedTokens());
        json.writeNumberField("cache_read_input_tokens", usage.cachedTokens());
        json.writeNumberField("output_tokens", usage.completionTokens());
        json.writeEndObject();
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
        /** The bytes of the open block's delta events before the delta itself. */
        private byte[] deltaHead;
        private String stopReason = "end_turn";

        @Override
        public void chunk(String openAiChunk, Buffer out) {
            List<ChunkDeltas.Choice> choices = ChunkDeltas.read(openAiChunk);
            start(out);
            for (ChunkDeltas.Choice choice : choices) {
                ChunkDeltas.Delta delta = choice.delta();
                if (!delta.reasoning().isEmpty()) {
                    block("thinking", "thinking_delta", "thinking", json -> {
                        json.writeStringField("type", "thinking");
                        json.writeStringField("thinking", "");
                    }, out);
                    deltaEvent(delta.reasoning(), out);
                }
                if (!delta.content().isEmpty()) {
                    block("text", "text_delta", "text", json -> {
                        json.writeStringField("type", "text");
                        json.writeStringField("text", "");
                    }, out);
                    deltaEvent(delta.content(), out);
                }
                for (ChunkDeltas.ToolCall call : delta.toolCalls()) {
                    block("tool:" + call.index(), "input_json_delta", "partial_json", json -> {
                        json.writeStringField("type", "tool_use");
                        json.writeStringField("id", call.id());
                        json.writeStringField("name", call.function().name());
                        json.writeObjectFieldStart("input");
                        json.writeEndObject();
                    }, out);
                    if (!call.function().arguments().isEmpty()) {
                        deltaEvent(call.function().arguments(), out);
                    }
                }
                if (choice.finishReason() != null) {
                    stopReason = stopReason(choice.finishReason());
                }
            }
        }

        /** {@code message_start}, once, before anything else. */
        private void start(Buffer out) {
            if (started) {
                return;
            }
            started = true;
            StreamingJson.sseEvent(out, "message_start", json -> {
                json.writeStartObject();
                json.writeStringField("type", "message_start");
                json.writeObjectFieldStart("message");
                json.writeStringField("id", messageId());
                json.writeStringField("type", "message");
                json.writeStringField("role", "assistant");
                json.writeStringField("model", model);
                json.writeArrayFieldStart("content");
                json.writeEndArray();
                json.writeNullField("stop_reason");
                json.writeNullField("stop_sequence");
                usage(json, Usage.NONE);
                json.writeEndObject();
                json.writeEndObject();
            });
        }

        /**
         * Opens a block of {@code kind} unless it is the open one already.
         *
         * @param deltaType    the type of the block's deltas
         * @param deltaField   the field of the block's deltas that holds their text
         * @param contentBlock the fields of the {@code content_block} that starts it
         */
        private void block(String kind, String deltaType, String deltaField, StreamingJson.Body contentBlock, Buffer out) {
            if (kind.equals(open)) {
                return;
            }
            close(out);
            open = kind;
            index++;
            StreamingJson.sseEvent(out, "content_block_start", json -> {
                json.writeStartObject();
                json.writeStringField("type", "content_block_start");
                json.writeNumberField("index", index);
                json.writeObjectFieldStart("content_block");
                contentBlock.write(json);
                json.writeEndObject();
                json.writeEndObject();
            });
            deltaHead = ("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":" + index
                    + ",\"delta\":{\"type\":\"" + deltaType + "\",\"" + deltaField + "\":").getBytes(StandardCharsets.UTF_8);
        }

        /**
         * A delta of the open block, such as {@code event: content_block_delta\ndata: {"type":"content_block_delta",
         * "index":0,"delta":{"type":"text_delta","text":"Hello"}}}: from bytes made when the block
         * opened, as a stream is mostly deltas and only their text changes.
         */
        private void deltaEvent(String text, Buffer out) {
            out.appendBytes(deltaHead);
            StreamingJson.appendString(out, text);
            out.appendBytes(DELTA_TAIL);
        }

        private void close(Buffer out) {
            if (open != null) {
                StreamingJson.sseEvent(out, "content_block_stop", json -> {
                    json.writeStartObject();
                    json.writeStringField("type", "content_block_stop");
                    json.writeNumberField("index", index);
                    json.writeEndObject();
                });
                open = null;
            }
        }

        @Override
        public void end(Usage usage, Buffer out) {
            start(out);
            close(out);
            StreamingJson.sseEvent(out, "message_delta", json -> {
                json.writeStartObject();
                json.writeStringField("type", "message_delta");
                json.writeObjectFieldStart("delta");
                json.writeStringField("stop_reason", stopReason);
                json.writeNullField("stop_sequence");
                json.writeEndObject();
                usage(json, usage);
                json.writeEndObject();
            });
            StreamingJson.sseEvent(out, "message_stop", json -> {
                json.writeStartObject();
                json.writeStringField("type", "message_stop");
                json.writeEndObject();
            });
        }

        @Override
        public void error(ChatException e, Buffer out) {
            out.appendString("event: error\ndata: ").appendString(errorBody(e)).appendString("\n\n");
        }
    }
}
