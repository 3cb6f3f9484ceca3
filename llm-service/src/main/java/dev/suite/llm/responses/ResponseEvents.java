package dev.suite.llm.responses;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.suite.llm.chat.ChatException;
import dev.suite.llm.chat.ReplyShape;
import dev.suite.llm.chat.Usage;
import dev.suite.llm.chat.stream.ChunkDeltas;
import dev.suite.llm.chat.stream.StreamingJson;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The typed event stream of one response, from OpenAI chunks. Items are opened as their kind of
 * delta first arrives — reasoning, text, or a tool call (by its index) — and finished when
 * another begins; every event carries its sequence number.
 */
final class ResponseEvents implements ReplyShape.Stream {

    private final ResponsesShape response;
    private final ResponseOutput output = new ResponseOutput();
    private int sequence;
    private boolean started;
    private int index = -1;
    /** What the open item is: "reasoning", "message", "call:<n>", or null when none is open. */
    private String open;
    private ResponseOutput.Call openCall;
    /** The frame of the open item's deltas. */
    private DeltaFrame deltas;

    ResponseEvents(ResponsesShape response) {
        this.response = response;
    }

    @Override
    public void chunk(String openAiChunk, Buffer out) {
        List<ChunkDeltas.Choice> choices = ChunkDeltas.read(openAiChunk);
        start(out);
        for (ChunkDeltas.Choice choice : choices) {
            ChunkDeltas.Delta delta = choice.delta();
            if (!delta.reasoning().isEmpty()) {
                reasoning(delta.reasoning(), out);
            }
            if (!delta.content().isEmpty()) {
                text(delta.content(), out);
            }
            for (ChunkDeltas.ToolCall call : delta.toolCalls()) {
                toolCall(call, out);
            }
        }
    }

    private void reasoning(String delta, Buffer out) {
        if (!"reasoning".equals(open)) {
            close(out);
            open("reasoning", output::writeReasoningItem, out);
            deltas = deltaFrame("response.reasoning_summary_text.delta", output.reasoningId, ",\"summary_index\":0", "");
            event(out, "response.reasoning_summary_part.added", json -> {
                summaryFields(json);
                json.writeFieldName("part");
                ResponseOutput.writeSummaryPart(json, "");
            });
        }
        output.reasoning.append(delta);
        deltas.append(out, sequence++, delta);
    }

    private void text(String delta, Buffer out) {
        if (!"message".equals(open)) {
            close(out);
            open("message", json -> output.writeMessageItem(json, "in_progress"), out);
            deltas = deltaFrame("response.output_text.delta", output.messageId, ",\"content_index\":0", ",\"logprobs\":[]");
            event(out, "response.content_part.added", json -> {
                contentFields(json);
                json.writeFieldName("part");
                ResponseOutput.writeTextPart(json, "");
            });
        }
        output.text.append(delta);
        deltas.append(out, sequence++, delta);
    }

    private void toolCall(ChunkDeltas.ToolCall call, Buffer out) {
        String kind = "call:" + call.index();
        if (!kind.equals(open)) {
            close(out);
            openCall = output.call(call.id(), call.function().name(), "");
            open(kind, json -> ResponseOutput.writeCallItem(json, openCall, "in_progress"), out);
            deltas = deltaFrame("response.function_call_arguments.delta", openCall.id(), "", "");
        }
        String arguments = call.function().arguments();
        if (!arguments.isEmpty()) {
            openCall.arguments().append(arguments);
            deltas.append(out, sequence++, arguments);
        }
    }

    private void start(Buffer out) {
        if (started) {
            return;
        }
        started = true;
        Buffer inProgress = response.json("in_progress", null, null);
        responseEvent(out, "response.created", inProgress);
        responseEvent(out, "response.in_progress", inProgress);
    }

    private void open(String kind, StreamingJson.Body item, Buffer out) {
        open = kind;
        index++;
        event(out, "response.output_item.added", json -> {
            json.writeNumberField("output_index", index);
            json.writeFieldName("item");
            item.write(json);
        });
    }

    private void close(Buffer out) {
        if (open == null) {
            return;
        }
        StreamingJson.Body item;
        if (open.equals("reasoning")) {
            String reasoning = output.reasoning.toString();
            event(out, "response.reasoning_summary_text.done", json -> {
                summaryFields(json);
                json.writeStringField("text", reasoning);
            });
            event(out, "response.reasoning_summary_part.done", json -> {
                summaryFields(json);
                json.writeFieldName("part");
                ResponseOutput.writeSummaryPart(json, reasoning);
            });
            item = output::writeReasoningItem;
        } else if (open.equals("message")) {
            String text = output.text.toString();
            event(out, "response.output_text.done", json -> {
                contentFields(json);
                json.writeStringField("text", text);
                json.writeArrayFieldStart("logprobs");
                json.writeEndArray();
            });
            event(out, "response.content_part.done", json -> {
                contentFields(json);
                json.writeFieldName("part");
                ResponseOutput.writeTextPart(json, text);
            });
            item = json -> output.writeMessageItem(json, "completed");
        } else {
            ResponseOutput.Call call = openCall;
            event(out, "response.function_call_arguments.done", json -> {
                json.writeStringField("item_id", call.id());
                json.writeNumberField("output_index", index);
                json.writeStringField("name", call.name());
                json.writeStringField("arguments", call.arguments().toString());
            });
            item = json -> ResponseOutput.writeCallItem(json, call, "completed");
        }
        event(out, "response.output_item.done", json -> {
            json.writeNumberField("output_index", index);
            json.writeFieldName("item");
            item.write(json);
        });
        open = null;
    }

    @Override
    public void end(Usage usage, Buffer out) {
        start(out);
        close(out);
        responseEvent(out, "response.completed", response.finish(output, usage));
    }

    @Override
    public void error(ChatException e, Buffer out) {
        event(out, "error", json -> {
            json.writeStringField("code", e.code() == null ? e.type() : e.code());
            json.writeStringField("message", e.getMessage());
            json.writeNullField("param");
        });
    }

    /** The fields that place a reasoning event: its item, and the one summary part there is. */
    private void summaryFields(JsonGenerator json) throws IOException {
        json.writeStringField("item_id", output.reasoningId);
        json.writeNumberField("output_index", index);
        json.writeNumberField("summary_index", 0);
    }

    /** The fields that place a text event: the message item, and its one content part. */
    private void contentFields(JsonGenerator json) throws IOException {
        json.writeStringField("item_id", output.messageId);
        json.writeNumberField("output_index", index);
        json.writeNumberField("content_index", 0);
    }

    /** Appends the event {@code type}: its type and sequence number, then the given fields. */
    private void event(Buffer out, String type, StreamingJson.Body fields) {
        int number = sequence++;
        StreamingJson.sseEvent(out, type, json -> {
            json.writeStartObject();
            json.writeStringField("type", type);
            json.writeNumberField("sequence_number", number);
            fields.write(json);
            json.writeEndObject();
        });
    }

    /**
     * Appends the event {@code type} that carries the response: as {@link #event} would write it,
     * around the response's JSON, which is made once for the two events that start a stream.
     */
    private void responseEvent(Buffer out, String type, Buffer response) {
        out.appendString("event: " + type + "\ndata: {\"type\":\"" + type + "\",\"sequence_number\":" + sequence++
                + ",\"response\":").appendBuffer(response).appendString("}\n\n");
    }

    /**
     * The frame of the deltas of the open item, such as
     * {@code event: response.output_text.delta\ndata: {"type":"response.output_text.delta","sequence_number":7,
     * "item_id":"msg_…","output_index":0,"content_index":0,"delta":"Hello","logprobs":[]}}: the same
     * as {@link #event} writes, from bytes made once per item — a stream is mostly deltas, and only
     * their sequence number and text change.
     *
     * @param itemId      one of our ids, which need no escaping
     * @param beforeDelta the fields between the item's output index and the delta
     * @param afterDelta  the fields after the delta
     */
    private DeltaFrame deltaFrame(String type, String itemId, String beforeDelta, String afterDelta) {
        return new DeltaFrame(bytes("event: " + type + "\ndata: {\"type\":\"" + type + "\",\"sequence_number\":"),
                bytes(",\"item_id\":\"" + itemId + "\",\"output_index\":" + index + beforeDelta + ",\"delta\":"),
                bytes(afterDelta + "}\n\n"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A delta event's frame around its sequence number and its delta. */
    private record DeltaFrame(byte[] head, byte[] middle, byte[] tail) {

        void append(Buffer out, int sequence, String delta) {
            out.appendBytes(head).appendString(Integer.toString(sequence)).appendBytes(middle);
            StreamingJson.appendString(out, delta);
            out.appendBytes(tail);
        }
    }
}
