package dev.suite.llm.responses;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.llm.chat.ReplyIds;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The output items of one response — reasoning, the message, function calls — built up in the
 * order the answer arrives, and written as the Responses API shows them.
 */
final class ResponseOutput {

    /** A {@code function_call} item; its arguments grow as a stream brings them. */
    record Call(String id, String callId, String name, StringBuilder arguments) {
    }

    final String reasoningId = ReplyIds.next("rs_");
    final String messageId = ReplyIds.next("msg_");
    final StringBuilder reasoning = new StringBuilder();
    final StringBuilder text = new StringBuilder();
    final List<Call> calls = new ArrayList<>();

    Call call(String callId, String name, String arguments) {
        Call call = new Call(ReplyIds.next("fc_"), callId, name, new StringBuilder(arguments));
        calls.add(call);
        return call;
    }

    /** The items of the finished response, in order. */
    void writeItems(JsonGenerator json) throws IOException {
        if (!reasoning.isEmpty()) {
            writeReasoningItem(json);
        }
        if (!text.isEmpty() || calls.isEmpty()) {
            writeMessageItem(json, "completed");
        }
        for (Call call : calls) {
            writeCallItem(json, call, "completed");
        }
    }

    void writeReasoningItem(JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "reasoning");
        json.writeStringField("id", reasoningId);
        json.writeArrayFieldStart("summary");
        if (!reasoning.isEmpty()) {
            writeSummaryPart(json, reasoning.toString());
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    /** The message item; only a completed one shows its text. */
    void writeMessageItem(JsonGenerator json, String status) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "message");
        json.writeStringField("id", messageId);
        json.writeStringField("status", status);
        json.writeStringField("role", "assistant");
        json.writeArrayFieldStart("content");
        if (status.equals("completed")) {
            writeTextPart(json, text.toString());
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    static void writeCallItem(JsonGenerator json, Call call, String status) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "function_call");
        json.writeStringField("id", call.id());
        json.writeStringField("call_id", call.callId());
        json.writeStringField("name", call.name());
        json.writeStringField("arguments", call.arguments().toString());
        json.writeStringField("status", status);
        json.writeEndObject();
    }

    static void writeSummaryPart(JsonGenerator json, String text) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "summary_text");
        json.writeStringField("text", text);
        json.writeEndObject();
    }

    static void writeTextPart(JsonGenerator json, String text) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "output_text");
        json.writeStringField("text", text);
        json.writeArrayFieldStart("annotations");
        json.writeEndArray();
        json.writeEndObject();
    }

    /** The answer as the last turn of {@code conversation}, in Chat Completions terms, for a continuation to send on. */
    void addTo(ArrayNode conversation) {
        ObjectNode assistant = conversation.addObject().put("role", "assistant");
        if (text.isEmpty() && !calls.isEmpty()) {
            assistant.putNull("content");
        } else {
            assistant.put("content", text.toString());
        }
        if (!calls.isEmpty()) {
            ArrayNode toolCalls = assistant.putArray("tool_calls");
            for (Call call : calls) {
                toolCalls.addObject().put("id", call.callId()).put("type", "function").putObject("function")
                        .put("name", call.name()).put("arguments", call.arguments().toString());
            }
        }
    }
}
