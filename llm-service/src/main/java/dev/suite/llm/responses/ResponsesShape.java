package dev.suite.llm.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.ids.Ids;
import dev.suite.llm.chat.ChatException;
import dev.suite.llm.chat.OpenAiErrors;
import dev.suite.llm.chat.ReplyShape;
import dev.suite.llm.chat.Usage;
import dev.suite.llm.chat.providers.Completion;
import dev.suite.llm.chat.providers.OpenAiShapes;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import java.time.Instant;

/**
 * {@code POST /v1/responses} answered as OpenAI's Responses API does: a {@code response} whose
 * {@code output} holds reasoning, message and {@code function_call} items, or its typed event
 * stream ({@code response.created} … {@code response.output_text.delta},
 * {@code response.function_call_arguments.delta} … {@code response.completed}). Errors take
 * OpenAI's shape. With {@code store}, the response and its conversation are saved before the
 * answer's last bytes leave, so the client's next call can continue from it at once.
 */
final class ResponsesShape implements ReplyShape {

    private final String id = "resp_" + Ids.newId().replace("-", "");
    private final long createdAt = Instant.now().getEpochSecond();
    private final String ownerId;
    private final ResponsesRequests.Parsed parsed;
    /** The Chat Completions messages that led here (earlier turns and the new input); the answer is added. */
    private final ArrayNode conversation;
    private final ResponseStore store;
    /** The finished response, once there is one to store. */
    private ObjectNode finished;

    ResponsesShape(String ownerId, ResponsesRequests.Parsed parsed, ArrayNode conversation, ResponseStore store) {
        this.ownerId = ownerId;
        this.parsed = parsed;
        this.conversation = conversation;
        this.store = store;
    }

    @Override
    public Buffer body(Completion completion) {
        JsonNode message = OpenAiShapes.parse(completion.body()).path("choices").path(0).path("message");
        Output output = new Output();
        output.reasoning(message.path("reasoning_content").asText(""));
        output.text(OpenAiShapes.text(message.get("content")));
        for (JsonNode call : message.path("tool_calls")) {
            output.call(call.path("id").asText(), call.path("function").path("name").asText(),
                    call.path("function").path("arguments").asText(""));
        }
        finished = response("completed", output.items(), completion.usage());
        remember(output);
        return Buffer.buffer(finished.toString());
    }

    @Override
    public ReplyShape.Stream stream() {
        return new Events();
    }

    @Override
    public void error(HttpServerResponse response, ChatException e) {
        OpenAiErrors.write(response, e);
    }

    @Override
    public Uni<Void> settled() {
        if (!parsed.store() || finished == null) {
            return Uni.createFrom().voidItem();
        }
        String saved = conversation.toString();
        if (saved.length() > store.maxStoredBytes()) {
            return Uni.createFrom().failure(new IllegalStateException("the conversation of " + id + " is "
                    + saved.length() + " bytes, over suite.llm.responses.max-stored-bytes: not stored"));
        }
        return store.save(id, ownerId, finished.toString(), saved);
    }

    /** The answer as the last turn of the conversation a continuation sends on. */
    private void remember(Output output) {
        ObjectNode assistant = conversation.addObject().put("role", "assistant");
        if (output.text.isEmpty() && !output.calls.isEmpty()) {
            assistant.putNull("content");
        } else {
            assistant.put("content", output.text.toString());
        }
        if (!output.calls.isEmpty()) {
            ArrayNode calls = assistant.putArray("tool_calls");
            for (JsonNode item : output.calls) {
                calls.addObject().put("id", item.path("call_id").asText()).put("type", "function").putObject("function")
                        .put("name", item.path("name").asText()).put("arguments", item.path("arguments").asText());
            }
        }
    }

    /** The response object, echoing the request's settings as the API does. */
    private ObjectNode response(String status, ArrayNode output, Usage usage) {
        JsonNode in = parsed.request();
        ObjectNode out = OpenAiShapes.object();
        out.put("id", id);
        out.put("object", "response");
        out.put("created_at", createdAt);
        out.put("status", status);
        out.putNull("error");
        out.putNull("incomplete_details");
        echo(out, "instructions", in.path("instructions").isTextual(), null);
        echo(out, "max_output_tokens", in.path("max_output_tokens").isInt(), null);
        out.put("model", in.path("model").asText());
        out.set("output", output);
        out.put("parallel_tool_calls", in.path("parallel_tool_calls").asBoolean(true));
        if (parsed.previousResponseId() == null) {
            out.putNull("previous_response_id");
        } else {
            out.put("previous_response_id", parsed.previousResponseId());
        }
        echo(out, "reasoning", in.path("reasoning").isObject(), OpenAiShapes.object().putNull("effort"));
        out.put("store", parsed.store());
        echo(out, "temperature", in.path("temperature").isNumber(), null);
        echo(out, "text", in.path("text").isObject(), formatText());
        if (in.hasNonNull("tool_choice")) {
            out.set("tool_choice", in.get("tool_choice"));
        } else {
            out.put("tool_choice", "auto");
        }
        echo(out, "tools", in.path("tools").isArray(), OpenAiShapes.array());
        echo(out, "top_p", in.path("top_p").isNumber(), null);
        out.put("truncation", "disabled");
        out.set("metadata", in.path("metadata").isObject() ? in.get("metadata") : OpenAiShapes.object());
        if (usage == null) {
            out.putNull("usage");
        } else {
            ObjectNode u = out.putObject("usage");
            u.put("input_tokens", usage.promptTokens());
            u.putObject("input_tokens_details").put("cached_tokens", usage.cachedTokens());
            u.put("output_tokens", usage.completionTokens());
            u.putObject("output_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
            u.put("total_tokens", usage.totalTokens());
        }
        return out;
    }

    /** The request's value of {@code field} when {@code given}, else {@code otherwise} (null: JSON null). */
    private void echo(ObjectNode out, String field, boolean given, JsonNode otherwise) {
        if (given) {
            out.set(field, parsed.request().get(field));
        } else if (otherwise == null) {
            out.putNull(field);
        } else {
            out.set(field, otherwise);
        }
    }

    private static ObjectNode formatText() {
        ObjectNode text = OpenAiShapes.object();
        text.putObject("format").put("type", "text");
        return text;
    }

    /** The output items of one response, built up in the order the answer arrives. */
    private static final class Output {
        private final StringBuilder reasoning = new StringBuilder();
        private final StringBuilder text = new StringBuilder();
        private final ArrayNode calls = OpenAiShapes.array();
        private final String reasoningId = "rs_" + Ids.newId().replace("-", "");
        private final String messageId = "msg_" + Ids.newId().replace("-", "");

        void reasoning(String delta) {
            reasoning.append(delta);
        }

        void text(String delta) {
            text.append(delta);
        }

        ObjectNode call(String callId, String name, String arguments) {
            return calls.addObject().put("type", "function_call").put("id", "fc_" + Ids.newId().replace("-", ""))
                    .put("call_id", callId).put("name", name).put("arguments", arguments).put("status", "completed");
        }

        ObjectNode reasoningItem() {
            ObjectNode item = OpenAiShapes.object().put("type", "reasoning").put("id", reasoningId);
            ArrayNode summary = item.putArray("summary");
            if (!reasoning.isEmpty()) {
                summary.addObject().put("type", "summary_text").put("text", reasoning.toString());
            }
            return item;
        }

        ObjectNode messageItem(String status) {
            ObjectNode item = OpenAiShapes.object().put("type", "message").put("id", messageId).put("status", status)
                    .put("role", "assistant");
            ArrayNode content = item.putArray("content");
            if (status.equals("completed")) {
                content.add(textPart(text.toString()));
            }
            return item;
        }

        ArrayNode items() {
            ArrayNode items = OpenAiShapes.array();
            if (!reasoning.isEmpty()) {
                items.add(reasoningItem());
            }
            if (!text.isEmpty() || calls.isEmpty()) {
                items.add(messageItem("completed"));
            }
            items.addAll(calls);
            return items;
        }
    }

    private static ObjectNode textPart(String text) {
        ObjectNode part = OpenAiShapes.object().put("type", "output_text").put("text", text);
        part.putArray("annotations");
        return part;
    }

    /**
     * The typed event stream of one response, from OpenAI chunks. Items are opened as their kind of
     * delta first arrives — reasoning, text, or a tool call (by its index) — and finished when
     * another begins; every event carries its sequence number.
     */
    private final class Events implements ReplyShape.Stream {

        private final Output output = new Output();
        private int sequence;
        private boolean started;
        private int index = -1;
        /** What the open item is: "reasoning", "message", "call:<n>", or null when none is open. */
        private String open;
        private ObjectNode openCall;

        @Override
        public void chunk(String openAiChunk, Buffer out) {
            JsonNode chunk = OpenAiShapes.parse(openAiChunk);
            start(out);
            for (JsonNode choice : chunk.path("choices")) {
                JsonNode delta = choice.path("delta");
                String reasoning = delta.path("reasoning_content").asText("");
                if (!reasoning.isEmpty()) {
                    if (!"reasoning".equals(open)) {
                        close(out);
                        open("reasoning", output.reasoningItem(), out);
                        ObjectNode part = OpenAiShapes.object().put("type", "summary_text").put("text", "");
                        emit(out, event("response.reasoning_summary_part.added").put("item_id", output.reasoningId)
                                .put("output_index", index).put("summary_index", 0).set("part", part));
                    }
                    output.reasoning(reasoning);
                    emit(out, event("response.reasoning_summary_text.delta").put("item_id", output.reasoningId)
                            .put("output_index", index).put("summary_index", 0).put("delta", reasoning));
                }
                String text = delta.path("content").asText("");
                if (!text.isEmpty()) {
                    if (!"message".equals(open)) {
                        close(out);
                        open("message", output.messageItem("in_progress"), out);
                        emit(out, event("response.content_part.added").put("item_id", output.messageId)
                                .put("output_index", index).put("content_index", 0).set("part", textPart("")));
                    }
                    output.text(text);
                    ObjectNode event = event("response.output_text.delta").put("item_id", output.messageId)
                            .put("output_index", index).put("content_index", 0).put("delta", text);
                    event.putArray("logprobs");
                    emit(out, event);
                }
                for (JsonNode call : delta.path("tool_calls")) {
                    String kind = "call:" + call.path("index").asInt(0);
                    if (!kind.equals(open)) {
                        close(out);
                        openCall = output.call(call.path("id").asText(), call.path("function").path("name").asText(), "");
                        ObjectNode added = openCall.deepCopy().put("status", "in_progress");
                        open(kind, added, out);
                    }
                    String arguments = call.path("function").path("arguments").asText("");
                    if (!arguments.isEmpty()) {
                        openCall.put("arguments", openCall.path("arguments").asText() + arguments);
                        emit(out, event("response.function_call_arguments.delta").put("item_id", openCall.path("id").asText())
                                .put("output_index", index).put("delta", arguments));
                    }
                }
            }
        }

        private void start(Buffer out) {
            if (started) {
                return;
            }
            started = true;
            ObjectNode inProgress = response("in_progress", OpenAiShapes.array(), null);
            emit(out, event("response.created").set("response", inProgress));
            emit(out, event("response.in_progress").set("response", inProgress));
        }

        private void open(String kind, ObjectNode item, Buffer out) {
            open = kind;
            index++;
            emit(out, event("response.output_item.added").put("output_index", index).set("item", item));
        }

        private void close(Buffer out) {
            if (open == null) {
                return;
            }
            ObjectNode item;
            if (open.equals("reasoning")) {
                ObjectNode part = OpenAiShapes.object().put("type", "summary_text").put("text", output.reasoning.toString());
                emit(out, event("response.reasoning_summary_text.done").put("item_id", output.reasoningId)
                        .put("output_index", index).put("summary_index", 0).put("text", output.reasoning.toString()));
                emit(out, event("response.reasoning_summary_part.done").put("item_id", output.reasoningId)
                        .put("output_index", index).put("summary_index", 0).set("part", part));
                item = output.reasoningItem();
            } else if (open.equals("message")) {
                ObjectNode done = event("response.output_text.done").put("item_id", output.messageId)
                        .put("output_index", index).put("content_index", 0).put("text", output.text.toString());
                done.putArray("logprobs");
                emit(out, done);
                emit(out, event("response.content_part.done").put("item_id", output.messageId).put("output_index", index)
                        .put("content_index", 0).set("part", textPart(output.text.toString())));
                item = output.messageItem("completed");
            } else {
                emit(out, event("response.function_call_arguments.done").put("item_id", openCall.path("id").asText())
                        .put("output_index", index).put("name", openCall.path("name").asText())
                        .put("arguments", openCall.path("arguments").asText()));
                item = openCall;
            }
            emit(out, event("response.output_item.done").put("output_index", index).set("item", item));
            open = null;
        }

        @Override
        public void end(Usage usage, Buffer out) {
            start(out);
            close(out);
            finished = response("completed", output.items(), usage);
            remember(output);
            emit(out, event("response.completed").set("response", finished));
        }

        @Override
        public void error(ChatException e, Buffer out) {
            ObjectNode event = event("error").put("code", e.code() == null ? e.type() : e.code()).put("message", e.getMessage());
            event.putNull("param");
            emit(out, event);
        }

        private ObjectNode event(String type) {
            return OpenAiShapes.object().put("type", type).put("sequence_number", sequence++);
        }

        private void emit(Buffer out, ObjectNode event) {
            out.appendString("event: ").appendString(event.path("type").asText()).appendString("\ndata: ")
                    .appendString(event.toString()).appendString("\n\n");
        }
    }
}
