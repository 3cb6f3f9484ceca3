package dev.suite.llm.responses;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.suite.llm.chat.ChatException;
import dev.suite.llm.chat.OpenAiErrors;
import dev.suite.llm.chat.ReplyIds;
import dev.suite.llm.chat.ReplyShape;
import dev.suite.llm.chat.Usage;
import dev.suite.llm.chat.providers.Completion;
import dev.suite.llm.chat.providers.OpenAiShapes;
import dev.suite.llm.chat.stream.StreamingJson;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import java.io.IOException;
import java.time.Instant;

/**
 * {@code POST /v1/responses} answered as OpenAI's Responses API does: a {@code response} whose
 * {@code output} holds reasoning, message and {@code function_call} items, or its typed event
 * stream ({@link ResponseEvents}). Errors take OpenAI's shape. With {@code store}, the response and
 * its conversation are saved before the answer's last bytes leave, so the client's next call can
 * continue from it at once.
 */
final class ResponsesShape implements ReplyShape {

    /** Unique rather than secret (see {@link ReplyIds}): a stored response is found by its id and owner together. */
    private final String id = ReplyIds.next("resp_");
    private final long createdAt = Instant.now().getEpochSecond();
    private final String ownerId;
    private final ResponsesRequests.Parsed parsed;
    /** The Chat Completions messages that led here (earlier turns and the new input); a stored answer is added. */
    private final ArrayNode conversation;
    private final ResponseStore store;
    /** The finished response as JSON, once there is one to store; null while there is none, or when not storing. */
    private String finished;

    ResponsesShape(String ownerId, ResponsesRequests.Parsed parsed, ArrayNode conversation, ResponseStore store) {
        this.ownerId = ownerId;
        this.parsed = parsed;
        this.conversation = conversation;
        this.store = store;
    }

    @Override
    public Buffer body(Completion completion) {
        JsonNode message = OpenAiShapes.parse(completion.body()).path("choices").path(0).path("message");
        ResponseOutput output = new ResponseOutput();
        output.reasoning.append(message.path("reasoning_content").asText(""));
        output.text.append(OpenAiShapes.text(message.get("content")));
        for (JsonNode call : message.path("tool_calls")) {
            output.call(call.path("id").asText(), call.path("function").path("name").asText(),
                    call.path("function").path("arguments").asText(""));
        }
        return finish(output, completion.usage());
    }

    @Override
    public ReplyShape.Stream stream() {
        return new ResponseEvents(this);
    }

    @Override
    public void error(HttpServerResponse response, ChatException e) {
        OpenAiErrors.write(response, e);
    }

    @Override
    public Uni<Void> settled() {
        if (finished == null) {
            return Uni.createFrom().voidItem();
        }
        String saved = conversation.toString();
        if (saved.length() > store.maxStoredBytes()) {
            return Uni.createFrom().failure(new IllegalStateException("the conversation of " + id + " is "
                    + saved.length() + " bytes, over suite.llm.responses.max-stored-bytes: not stored"));
        }
        return store.save(id, ownerId, finished, saved);
    }

    /**
     * The completed response. A stored response keeps it, and the conversation with the answer as
     * its last turn, for {@link #settled} to save.
     */
    Buffer finish(ResponseOutput output, Usage usage) {
        Buffer completed = json("completed", output, usage);
        if (parsed.store()) {
            finished = completed.toString();
            output.addTo(conversation);
        }
        return completed;
    }

    /**
     * The response object, echoing the request's settings as the API does.
     *
     * @param output its items so far; null for none
     * @param usage  null until it is known
     */
    Buffer json(String status, ResponseOutput output, Usage usage) {
        return StreamingJson.buffer(json -> write(json, status, output, usage));
    }

    private void write(JsonGenerator json, String status, ResponseOutput output, Usage usage) throws IOException {
        JsonNode in = parsed.request();
        json.writeStartObject();
        json.writeStringField("id", id);
        json.writeStringField("object", "response");
        json.writeNumberField("created_at", createdAt);
        json.writeStringField("status", status);
        json.writeNullField("error");
        json.writeNullField("incomplete_details");
        echo(json, "instructions", in.path("instructions").isTextual(), "null");
        echo(json, "max_output_tokens", in.path("max_output_tokens").isInt(), "null");
        json.writeStringField("model", in.path("model").asText());
        json.writeArrayFieldStart("output");
        if (output != null) {
            output.writeItems(json);
        }
        json.writeEndArray();
        json.writeBooleanField("parallel_tool_calls", in.path("parallel_tool_calls").asBoolean(true));
        json.writeStringField("previous_response_id", parsed.previousResponseId());
        echo(json, "reasoning", in.path("reasoning").isObject(), "{\"effort\":null}");
        json.writeBooleanField("store", parsed.store());
        echo(json, "temperature", in.path("temperature").isNumber(), "null");
        echo(json, "text", in.path("text").isObject(), "{\"format\":{\"type\":\"text\"}}");
        echo(json, "tool_choice", in.hasNonNull("tool_choice"), "\"auto\"");
        echo(json, "tools", in.path("tools").isArray(), "[]");
        echo(json, "top_p", in.path("top_p").isNumber(), "null");
        json.writeStringField("truncation", "disabled");
        echo(json, "metadata", in.path("metadata").isObject(), "{}");
        if (usage == null) {
            json.writeNullField("usage");
        } else {
            json.writeObjectFieldStart("usage");
            json.writeNumberField("input_tokens", usage.promptTokens());
            json.writeObjectFieldStart("input_tokens_details");
            json.writeNumberField("cached_tokens", usage.cachedTokens());
            json.writeEndObject();
            json.writeNumberField("output_tokens", usage.completionTokens());
            json.writeObjectFieldStart("output_tokens_details");
            json.writeNumberField("reasoning_tokens", usage.reasoningTokens());
            json.writeEndObject();
            json.writeNumberField("total_tokens", usage.totalTokens());
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    /** The request's value of {@code field} when {@code given}, else the JSON {@code otherwise}. */
    private void echo(JsonGenerator json, String field, boolean given, String otherwise) throws IOException {
        json.writeFieldName(field);
        if (given) {
            OpenAiShapes.JSON.writeTree(json, parsed.request().get(field));
        } else {
            json.writeRawValue(otherwise);
        }
    }
}
