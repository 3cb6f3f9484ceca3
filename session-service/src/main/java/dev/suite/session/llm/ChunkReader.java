package dev.suite.session.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.function.Consumer;

/**
 * Reads an OpenAI chat-completions event stream as it arrives: {@code data:} lines holding chunks,
 * split anywhere by the network, ended by {@code data: [DONE]}. Collects the text and the usage.
 */
final class ChunkReader {

    private final ObjectMapper mapper;
    private final Consumer<String> onDelta;
    private final StringBuilder pending = new StringBuilder();
    private final StringBuilder text = new StringBuilder();
    private Integer promptTokens;
    private Integer completionTokens;
    private String error;

    ChunkReader(ObjectMapper mapper, Consumer<String> onDelta) {
        this.mapper = mapper;
        this.onDelta = onDelta;
    }

    void feed(String data) {
        pending.append(data);
        int newline;
        while ((newline = pending.indexOf("\n")) >= 0) {
            String line = pending.substring(0, newline).strip();
            pending.delete(0, newline + 1);
            if (line.startsWith("data:")) {
                line(line.substring(5).strip());
            }
        }
    }

    private void line(String data) {
        if (data.isEmpty() || data.equals("[DONE]")) {
            return;
        }
        JsonNode chunk;
        try {
            chunk = mapper.readTree(data);
        } catch (Exception e) {
            return;
        }
        if (chunk.has("error")) {
            error = chunk.path("error").path("message").asText("error event");
            return;
        }
        String delta = chunk.path("choices").path(0).path("delta").path("content").asText("");
        if (!delta.isEmpty()) {
            text.append(delta);
            onDelta.accept(delta);
        }
        JsonNode usage = chunk.path("usage");
        if (usage.isObject()) {
            promptTokens = usage.path("prompt_tokens").isInt() ? usage.get("prompt_tokens").asInt() : promptTokens;
            completionTokens = usage.path("completion_tokens").isInt() ? usage.get("completion_tokens").asInt()
                    : completionTokens;
        }
    }

    String error() {
        return error;
    }

    Completion result() {
        return new Completion(text.toString(), promptTokens, completionTokens);
    }
}
