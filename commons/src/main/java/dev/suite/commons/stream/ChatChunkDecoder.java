package dev.suite.commons.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;

import java.util.function.Consumer;

/**
 * Reads the stream of llm-service's {@code POST /v1/chat/completions} (OpenAI's chat-completion
 * chunks as Server-Sent Events, ended by {@code data: [DONE]}) as it arrives, whatever the buffer
 * boundaries: events come from {@link SseDecoder}, which decodes complete lines only, so a
 * character split across reads stays whole. Each piece of text goes to the sink in order; the
 * usage chunk and an error event are kept for the end.
 */
public final class ChatChunkDecoder {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SseDecoder events;
    private final Consumer<String> onText;
    private final Consumer<SseEvent> onEvent = this::event;
    private final StringBuilder text = new StringBuilder();
    private ObjectNode usage;
    private String error;

    /**
     * @param maxLine the longest event a stream may send ({@link LineTooLongException} past it)
     * @param onText  each piece of the answer, in order
     */
    public ChatChunkDecoder(int maxLine, Consumer<String> onText) {
        this.events = new SseDecoder(maxLine);
        this.onText = onText;
    }

    public void feed(Buffer chunk) {
        events.feed(chunk, onEvent);
    }

    /** The stream ended: a last event without its blank line still counts. */
    public void end() {
        events.end(onEvent);
    }

    private void event(SseEvent event) {
        String data = event.data();
        if (data == null || data.isBlank() || data.strip().equals("[DONE]")) {
            return;
        }
        JsonNode chunk;
        try {
            chunk = JSON.readTree(data);
        } catch (Exception e) {
            // Not a chunk (a proxy's keep-alive, say): nothing to take from it.
            return;
        }
        if (chunk.has("error")) {
            error = chunk.path("error").path("message").asText("error event");
            return;
        }
        String piece = chunk.path("choices").path(0).path("delta").path("content").asText("");
        if (!piece.isEmpty()) {
            text.append(piece);
            onText.accept(piece);
        }
        if (chunk.path("usage").isObject()) {
            usage = (ObjectNode) chunk.get("usage");
        }
    }

    /** The whole text so far. */
    public String text() {
        return text.toString();
    }

    /** The usage chunk's object, or null when none came. */
    public ObjectNode usage() {
        return usage;
    }

    /** Integer field of the usage chunk, or null. */
    public Integer usageCount(String field) {
        return usage != null && usage.path(field).isInt() ? usage.get(field).asInt() : null;
    }

    /** The message of an error event the stream carried, or null. */
    public String error() {
        return error;
    }
}
